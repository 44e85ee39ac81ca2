import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Segmented, Select, Space } from 'antd';
import { useState } from 'react';
import { TRANSFER_STATUS } from '../../../../common/status.js';
import { createTransfer, listTransfers, transferAction, type Transfer } from '../../../api/index.js';
import { ApiError } from '../../../api/client.js';
import { useDict } from '../../../components/dict.js';
import { fmtShort } from '../../../components/format.js';
import { OrgSelect } from '../../../components/OrgSelect.js';
import { ActionModal } from '../../../kit/ActionModal.js';
import { CursorTable, useCursorList } from '../../../kit/CursorTable.js';
import { can, useMe } from '../../../kit/me.js';
import { StatusTag } from '../../../kit/StatusTag.js';

/** 转会: transfers into and out of the officer's unions; release (转出), accept (转入) or reject. */
export function TransfersPage() {
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [direction, setDirection] = useState<'in' | 'out' | 'all'>('all');
  const [rejecting, setRejecting] = useState<Transfer | null>(null);
  const [starting, setStarting] = useState(false);
  const list = useCursorList(['transfers', direction], (cursor) => listTransfers({ direction, cursor, limit: 50 }));
  const act = async (t: Transfer, action: 'release' | 'accept') => {
    try {
      await transferAction(t.id, action);
      message.success(action === 'release' ? '已同意转出' : '已接收转入');
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
    await qc.invalidateQueries({ queryKey: ['transfers'] });
  };
  return (
    <Card
      title="转会"
      extra={
        <Space>
          {can(me, 'member.manage') && <Button type="primary" onClick={() => setStarting(true)}>办理转入</Button>}
          <Segmented value={direction} onChange={(v) => setDirection(v as typeof direction)} options={[{ value: 'all', label: '全部' }, { value: 'in', label: '转入' }, { value: 'out', label: '转出' }]} />
        </Space>
      }
    >
      <CursorTable<Transfer>
        list={list} rowKey="id"
        columns={[
          { title: '发起时间', dataIndex: 'createdAt', width: 110, render: (v: string) => fmtShort(v) },
          { title: '会员', key: 'who', width: 200, render: (_, t) => <span>{t.name}<br /><small>{t.maskedIdNumber}</small></span> },
          { title: '原工会', dataIndex: 'fromOrgName', ellipsis: true },
          { title: '转入工会', dataIndex: 'toOrgName', ellipsis: true },
          { title: '原因', dataIndex: 'reason', ellipsis: true },
          { title: '状态', dataIndex: 'status', width: 120, render: (s: string, t) => <StatusTag map={TRANSFER_STATUS} value={s} title={t.rejectReason} /> },
          {
            title: '操作', key: 'ops', width: 200, render: (_, t) => (
              <Space size={4}>
                {t.abilities.includes('release') && <Button size="small" type="primary" onClick={() => void act(t, 'release')}>同意转出</Button>}
                {t.abilities.includes('accept') && <Button size="small" type="primary" onClick={() => void act(t, 'accept')} data-testid={`accept-${t.id}`}>接收转入</Button>}
                {t.abilities.includes('reject') && <Button size="small" danger onClick={() => setRejecting(t)}>{rejectLabel(t)}</Button>}
              </Space>
            ),
          },
        ]}
      />
      {rejecting && <RejectModal t={rejecting} onClose={() => setRejecting(null)} onDone={async () => { setRejecting(null); await qc.invalidateQueries({ queryKey: ['transfers'] }); }} />}
      {starting && <StartModal onClose={() => setStarting(false)} onDone={async () => { setStarting(false); await qc.invalidateQueries({ queryKey: ['transfers'] }); }} />}
    </Card>
  );
}

/** What 'reject' does for this side: the old union takes back a transfer it let go (撤回); otherwise 不同意. */
function rejectLabel(t: Transfer): string {
  return t.status === 'released' && !t.abilities.includes('accept') ? '撤回转出' : '不同意';
}

function RejectModal({ t, onClose, onDone }: { t: Transfer; onClose: () => void; onDone: () => void }) {
  return (
    <ActionModal<{ reason: string }> title={`${rejectLabel(t)}：${t.name}`} onSubmit={(v) => transferAction(t.id, 'reject', v)} onClose={onClose} onDone={onDone}>
      <Form.Item name="reason" label="原因" rules={[{ required: true, min: 2, message: '请填写原因' }]}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
    </ActionModal>
  );
}

/** The new union takes in a member from elsewhere by the worker's identity number. */
function StartModal({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { modal } = App.useApp();
  const idTypes = useDict('id_type');
  return (
    <ActionModal<Record<string, unknown>> title="办理转入" okText="发起" initialValues={{ idType: 'resident_id' }} onClose={onClose} onDone={onDone}
      onSubmit={async (v) => {
        const r = await createTransfer(v);
        if ('message' in r) modal.success({ title: '转会请求已发出', content: r.message });
      }}>
      <Form.Item name="toOrgId" label="转入本级工会" rules={[{ required: true, message: '请选择' }]}><OrgSelect /></Form.Item>
      <Space.Compact block>
        <Form.Item name="idType" label="证件类型" style={{ width: '40%' }}><Select options={idTypes.options} /></Form.Item>
        <Form.Item name="idNumber" label="证件号码" rules={[{ required: true, message: '请填写' }]} style={{ width: '60%' }}><Input maxLength={40} /></Form.Item>
      </Space.Compact>
      <Form.Item name="reason" label="转会原因" rules={[{ required: true, min: 2, message: '请填写' }]}><Input maxLength={500} /></Form.Item>
    </ActionModal>
  );
}
