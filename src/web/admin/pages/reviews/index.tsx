import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { REVIEW_STEP_STATUS } from '../../../../common/status.js';
import { listReviews, reviewAction, type ReviewAction, type ReviewStep } from '../../../api/index.js';
import { fmtShort } from '../../../components/format.js';
import { OrgSelect } from '../../../components/OrgSelect.js';
import { ActionModal } from '../../../kit/ActionModal.js';
import { CursorTable, useCursorList } from '../../../kit/CursorTable.js';
import { StatusTag } from '../../../kit/StatusTag.js';

const ACTIONS: Array<{ action: ReviewAction; label: string; danger?: boolean; primary?: boolean }> = [
  { action: 'approve', label: '通过', primary: true }, { action: 'return', label: '退回补正' }, { action: 'reject', label: '驳回', danger: true }, { action: 'handover', label: '转办' },
];

/**
 * 待审核: the pending steps of every service's review chain (逐级审核) held in the officer's unions and
 * below, most urgent first; the buttons are the step's abilities (only the union holding a step
 * decides it).
 */
export function ReviewsPage() {
  const qc = useQueryClient();
  const [overdue, setOverdue] = useState(false);
  const [acting, setActing] = useState<{ step: ReviewStep; action: ReviewAction } | null>(null);
  const list = useCursorList(['reviews', overdue], (cursor) => listReviews({ overdue: overdue || undefined, cursor, limit: 50 }));
  return (
    <Card title="待审核" extra={<Segmented value={overdue ? 'overdue' : 'all'} onChange={(v) => setOverdue(v === 'overdue')} options={[{ value: 'all', label: '全部' }, { value: 'overdue', label: '已超期' }]} />}>
      <Typography.Paragraph type="secondary">各项业务的逐级审核：本级工会审核通过后转上级工会审核，至最高一级办结。超过审核时限的事项标为超期并告知上级工会督办，不会因此驳回申请。</Typography.Paragraph>
      <CursorTable<ReviewStep>
        list={list} rowKey="id" locale={{ emptyText: '暂无待审核事项' }}
        columns={[
          { title: '事项', dataIndex: 'entityLabel', width: 130 },
          { title: '摘要', dataIndex: 'summary', ellipsis: true, render: (v: string, s) => (s.page ? <Link to={s.page}>{v}</Link> : v) },
          { title: '环节', key: 'seq', width: 120, render: (_, s) => `第 ${s.seq} 级${s.round > 1 ? ` · 第 ${s.round} 轮` : ''}` },
          { title: '审核工会', dataIndex: 'orgName', ellipsis: true },
          { title: '审核时限', dataIndex: 'deadline', width: 150, render: (d: string, s) => <Space size={4}>{fmtShort(d)}{s.overdue && <Tag color="red">超期</Tag>}</Space> },
          { title: '状态', dataIndex: 'status', width: 100, render: (v: string) => <StatusTag map={REVIEW_STEP_STATUS} value={v} /> },
          {
            title: '操作', key: 'ops', width: 260, render: (_, s) => (
              <Space size={4} wrap>
                {ACTIONS.filter((a) => s.abilities.includes(a.action)).map((a) => (
                  <Button key={a.action} size="small" type={a.primary ? 'primary' : 'default'} danger={a.danger} onClick={() => setActing({ step: s, action: a.action })} data-testid={`review-${a.action}-${s.id}`}>{a.label}</Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
      {acting && <DecideModal {...acting} onClose={() => setActing(null)} onDone={async () => { setActing(null); await qc.invalidateQueries({ queryKey: ['reviews'] }); }} />}
    </Card>
  );
}

function DecideModal({ step, action, onClose, onDone }: { step: ReviewStep; action: ReviewAction; onClose: () => void; onDone: () => void }) {
  const label = ACTIONS.find((a) => a.action === action)?.label ?? '';
  return (
    <ActionModal<Record<string, unknown>> title={`${label}：${step.summary}`} okText={label} onClose={onClose} onDone={onDone}
      onSubmit={(v) => reviewAction(step.id, action, { ...v, version: step.version })}>
      {action === 'handover' && <Form.Item name="orgId" label="转办给" rules={[{ required: true, message: '请选择工会' }]}><OrgSelect directory /></Form.Item>}
      {action === 'approve'
        ? <Form.Item name="note" label="审核意见"><Input.TextArea rows={3} maxLength={1000} placeholder="选填" /></Form.Item>
        : <Form.Item name="reason" label={action === 'return' ? '需补正的内容' : action === 'reject' ? '驳回原因' : '转办原因'} rules={[{ required: true, min: 2, message: '请填写原因' }]}><Input.TextArea rows={3} maxLength={1000} /></Form.Item>}
    </ActionModal>
  );
}
