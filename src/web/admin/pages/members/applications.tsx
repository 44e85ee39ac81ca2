import { QrcodeOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Image, Input, Modal, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { APPLICATION_STATUS_LABELS, JOIN_CHANNEL_LABELS } from '../../../../common/members.js';
import { decideApplication, listApplications, type JoinApplication } from '../../../api/index.js';
import { ApiError } from '../../../api/client.js';
import { useDict } from '../../../components/dict.js';
import { fmtShort } from '../../../components/format.js';
import { OrgSelect } from '../../../components/OrgSelect.js';
import { can, useMe } from '../../../kit/me.js';
import { ActionModal } from '../../../kit/ActionModal.js';
import { CursorTable, useCursorList } from '../../../kit/CursorTable.js';

/** 入会审核: applications from the QR code and online form; approve, reject with a reason, or forward. */
export function ApplicationsPage() {
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [status, setStatus] = useState<'pending' | 'approved' | 'rejected'>('pending');
  const [dialog, setDialog] = useState<null | { app: JoinApplication; action: 'reject' | 'forward' }>(null);
  const [qrOrg, setQrOrg] = useState<number | undefined>();
  const [showQr, setShowQr] = useState(false);
  const groups = useDict('member_group');
  const list = useCursorList(['applications', status], (cursor) => listApplications({ status, cursor, limit: 50 }), { refetchInterval: 30_000 });
  const refresh = () => qc.invalidateQueries({ queryKey: ['applications'] });
  const approve = async (a: JoinApplication) => {
    try {
      await decideApplication(a.id, 'approve', { version: a.version });
      message.success(`已通过，${a.name} 成为会员`);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
    await refresh();
  };
  return (
    <Card
      title="入会审核"
      extra={
        <Space wrap>
          <OrgSelect value={qrOrg} onChange={setQrOrg} style={{ width: 260 }} placeholder="选择工会生成扫码入会二维码" />
          <Button icon={<QrcodeOutlined />} disabled={!qrOrg} onClick={() => setShowQr(true)}>扫码入会二维码</Button>
          <Segmented value={status} onChange={(v) => setStatus(v as typeof status)} options={Object.entries(APPLICATION_STATUS_LABELS).map(([value, label]) => ({ value, label }))} />
        </Space>
      }
    >
      <CursorTable<JoinApplication>
        list={list} rowKey="id" size="middle" scroll={{ x: 1500 }}
        columns={[
          { title: '申请编号', dataIndex: 'applicationNo', width: 160 },
          { title: '申请时间', dataIndex: 'createdAt', width: 100, render: (v: string) => fmtShort(v) },
          { title: '姓名', dataIndex: 'name', width: 120, render: (n: string, a: JoinApplication) => <>{n}{a.alreadyMember && <Tag color="orange" style={{ marginLeft: 4 }} title="申请人已是工会会员：请在“转会”中按证件号办理转入，或不通过并说明">已是会员</Tag>}</> },
          { title: '证件号码', dataIndex: 'maskedIdNumber', width: 175 },
          { title: '手机号', dataIndex: 'maskedPhone', width: 115 },
          { title: '工作单位 / 职业', key: 'job', width: 200, ellipsis: true, render: (_, a) => [a.employer, a.occupation].filter(Boolean).join(' · ') },
          { title: '群体', dataIndex: 'groups', width: 200, render: (g: string[]) => g.map((x) => <Tag key={x}>{groups.label(x)}</Tag>) },
          { title: '申请工会', dataIndex: 'orgName', ellipsis: true },
          { title: '方式', dataIndex: 'channel', width: 110, render: (c: string) => JOIN_CHANNEL_LABELS[c] ?? c },
          status === 'pending' && can(me, 'member.manage')
            ? {
              title: '操作', key: 'ops', width: 210, fixed: 'right' as const, render: (_: unknown, a: JoinApplication) => (
                <Space size={4}>
                  {a.abilities.includes('approve') && <Button size="small" type="primary" onClick={() => void approve(a)} data-testid={`approve-${a.applicationNo}`}>通过</Button>}
                  {a.abilities.includes('reject') && <Button size="small" danger onClick={() => setDialog({ app: a, action: 'reject' })}>不通过</Button>}
                  {a.abilities.includes('forward') && <Button size="small" onClick={() => setDialog({ app: a, action: 'forward' })}>转办</Button>}
                </Space>
              ),
            }
            : { title: status === 'rejected' ? '原因' : '会员', key: 'result', render: (_: unknown, a: JoinApplication) => a.rejectReason ?? (a.memberId ? <a href={`/admin/members/${a.memberId}`}>查看会员</a> : '') },
        ]}
      />
      {dialog && <DecideModal app={dialog.app} action={dialog.action} onClose={() => setDialog(null)} onDone={async () => { setDialog(null); await refresh(); }} />}
      {showQr && qrOrg && (
        <Modal open title="扫码入会二维码" footer={null} onCancel={() => setShowQr(false)}>
          <div style={{ textAlign: 'center' }}>
            <Image src={`/api/orgs/${qrOrg}/join-qrcode`} width={300} preview={false} alt="扫码入会二维码" />
            <Typography.Paragraph type="secondary">职工用手机扫码，填写信息申请加入本工会。可打印张贴或下载后转发。</Typography.Paragraph>
            <a href={`/api/orgs/${qrOrg}/join-qrcode`} download>下载二维码图片</a>
          </div>
        </Modal>
      )}
    </Card>
  );
}

function DecideModal({ app, action, onClose, onDone }: { app: JoinApplication; action: 'reject' | 'forward'; onClose: () => void; onDone: () => void }) {
  return (
    <ActionModal<Record<string, unknown>> title={action === 'reject' ? `不通过：${app.name}` : `转办：${app.name}`} onSubmit={(v) => decideApplication(app.id, action, { ...v, version: app.version })} onClose={onClose} onDone={onDone}>
      {action === 'forward' && <Form.Item name="toOrgId" label="转办给" rules={[{ required: true, message: '请选择工会' }]}><OrgSelect directory /></Form.Item>}
      <Form.Item name="reason" label={action === 'reject' ? '不通过原因（申请人可见）' : '转办说明'} rules={[{ required: true, min: 2, message: '请填写' }]}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
    </ActionModal>
  );
}
