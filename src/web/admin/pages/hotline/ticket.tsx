import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Input, Modal, Radio, Select, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { TICKET_STATUS } from '../../../../common/status.js';
import { formatFen, yuanToFen } from '../../../../common/money.js';
import { can, useMe } from '../../../kit/me.js';
import { StatusTag } from '../../../kit/StatusTag.js';
import { CHANNEL_LABELS, DIFFICULTY_LABELS, SATISFACTION_LABELS, TICKET_ACTION_LABELS, TICKET_FILE_KINDS } from '../../../../common/hotline.js';
import { AttachmentsCard } from '../../../kit/Attachments.js';
import { getDict, getTicket, listOrgs, ticketAction } from '../../../api/index.js';
import { applyServerError } from '../../../components/forms.js';
import { DeadlineTag } from './queue.js';
import { fmtDateTime } from '../../../components/format.js';

type Action = 'dispatch' | 'sign' | 'return' | 'resolve' | 'supervise' | 'evaluate' | 'close' | 'reopen';
const BUTTONS: Array<{ action: Action; label: string; primary?: boolean }> = [
  { action: 'sign', label: '签收', primary: true }, { action: 'dispatch', label: '交办' }, { action: 'resolve', label: '办结', primary: true },
  { action: 'return', label: '退回' }, { action: 'supervise', label: '督办' }, { action: 'evaluate', label: '回访评价' },
  { action: 'reopen', label: '重新办理' }, { action: 'close', label: '归档' },
];

/** 工单详情: the order, its timeline, and the actions the officer may take (from `abilities`). */
export function TicketPage() {
  const me = useMe();
  const id = Number(useParams().id);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [action, setAction] = useState<Action | null>(null);
  const [orgOptions, setOrgOptions] = useState<Array<{ value: number; label: string }>>([]);
  const ticket = useQuery({ queryKey: ['ticket', id], queryFn: () => getTicket(id) });
  const categories = useQuery({ queryKey: ['dict', 'hotline_category'], queryFn: () => getDict('hotline_category') });
  const t = ticket.data;

  const searchOrgs = async (q: string) => {
    const r = await listOrgs(q.trim() ? { q: q.trim(), limit: 20 } : { parentId: t?.handlingOrgId, limit: 50 });
    setOrgOptions(r.items.filter((o) => o.id !== t?.handlingOrgId).map((o) => ({ value: o.id, label: o.name })));
  };

  const open = (a: Action) => {
    form.resetFields();
    if (a === 'dispatch') void searchOrgs('');
    setAction(a);
  };

  const submit = async () => {
    if (!action) return;
    const v = await form.validateFields().catch(() => null) as Record<string, unknown> | null;
    if (!v) return; // the field errors show on the fields
    if (action === 'resolve') {
      // The amount is typed in 元 and sent in 分; the validator below has already refused a bad one.
      const typed = typeof v.amountRecovered === 'string' ? v.amountRecovered.trim() : '';
      delete v.amountRecovered;
      const checked = typed === '' ? null : yuanToFen(typed);
      if (checked?.ok) v.amountRecoveredFen = checked.fen;
    }
    try {
      await ticketAction(id, action, v);
      message.success(`${TICKET_ACTION_LABELS[action]}成功`);
      setAction(null);
      await qc.invalidateQueries({ queryKey: ['ticket', id] });
      await qc.invalidateQueries({ queryKey: ['tickets'] });
    } catch (e) {
      const msg = applyServerError(form, e);
      if (msg) message.error(msg);
    }
  };

  if (!t) return <Card loading={ticket.isPending}>{ticket.isError && '工单不存在或无权查看'}</Card>;
  const categoryLabel = categories.data?.find((c) => c.code === t.category)?.label ?? t.category;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={<Space><span data-testid="ticket-no">工单 {t.ticketNo}</span><StatusTag map={TICKET_STATUS} value={t.status} testId="ticket-status" />{t.supervised && <Tag color="purple">督办</Tag>}{t.returned && <Tag>曾退回</Tag>}{t.reopenedCount > 0 && <Tag color="volcano">重办 {t.reopenedCount} 次</Tag>}</Space>}
        extra={<Space wrap>{BUTTONS.filter((b) => t.abilities?.includes(b.action)).map((b) => <Button key={b.action} type={b.primary ? 'primary' : 'default'} onClick={() => open(b.action)}>{b.label}</Button>)}</Space>}
      >
        <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
          <Descriptions.Item label="办理时限"><DeadlineTag t={t} /></Descriptions.Item>
          <Descriptions.Item label="承办工会" span={1}><span data-testid="handling-org">{t.handlingOrgName}</span></Descriptions.Item>
          <Descriptions.Item label="来电人">
            {t.callerName}（{t.maskedPhone}）
            {t.memberId && <Tag color="red" style={{ marginLeft: 6 }} data-testid="caller-member">{can(me, 'member.read') ? <Link to={`/admin/members/${t.memberId}`}>工会会员</Link> : '工会会员'}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label="身份证号">{t.maskedIdNumber ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="类别">{categoryLabel}</Descriptions.Item>
          <Descriptions.Item label="难度">{t.difficulty ? DIFFICULTY_LABELS[t.difficulty] : '待定'}</Descriptions.Item>
          <Descriptions.Item label="渠道 / 受理时间">{CHANNEL_LABELS[t.channel]} · {fmtDateTime(t.receivedAt)}</Descriptions.Item>
          <Descriptions.Item label="用人单位">{t.employerName ?? '—'}{t.employerCreditCode ? `（${t.employerCreditCode}）` : ''}</Descriptions.Item>
          <Descriptions.Item label="诉求内容" span={2}>{t.content}</Descriptions.Item>
          {t.result && <Descriptions.Item label="办理结果" span={2}>{t.result}{t.amountRecoveredFen ? `（追回 ${formatFen(t.amountRecoveredFen)}）` : ''}</Descriptions.Item>}
          {t.satisfaction && <Descriptions.Item label="评价">{SATISFACTION_LABELS[t.satisfaction]}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <AttachmentsCard
        entityUrl={`/api/hotline/tickets/${id}`}
        kinds={Object.entries(TICKET_FILE_KINDS).map(([value, k]) => ({ value, label: k.label }))}
        canUpload={can(me, 'hotline.handle')}
      />
      <Card title="流转记录" size="small">
        <Timeline
          items={(t.events ?? []).map((e) => ({
            color: e.action === 'overdue' ? 'red' : e.action === 'supervise' ? 'purple' : e.action === 'resolve' ? 'green' : 'blue',
            content: (
              <div>
                <Typography.Text strong>{TICKET_ACTION_LABELS[e.action] ?? e.action}</Typography.Text>
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>{fmtDateTime(e.at)} · {e.orgName ?? ''} {e.actorName ?? ''}</Typography.Text>
                {e.targetOrgName && <div>→ {e.targetOrgName}</div>}
                {e.note && <div style={{ color: '#555' }}>{e.note}</div>}
              </div>
            ),
          }))}
        />
      </Card>
      <Modal title={action ? TICKET_ACTION_LABELS[action] : ''} open={action !== null} onCancel={() => setAction(null)} onOk={() => void submit()} okText="确定" cancelText="取消" destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          {action === 'dispatch' && (
            <Form.Item name="orgId" label="交办给" rules={[{ required: true, message: '请选择承办工会' }]}>
              <Select showSearch={{ filterOption: false, onSearch: (q) => void searchOrgs(q) }} options={orgOptions} placeholder="下级工会，或输入名称搜索" />
            </Form.Item>
          )}
          {(action === 'dispatch' || action === 'sign' || action === 'close') && <Form.Item name="note" label="备注"><Input.TextArea rows={2} maxLength={1000} /></Form.Item>}
          {action === 'supervise' && <Form.Item name="note" label="督办意见" rules={[{ required: true, min: 2, message: '请填写督办意见' }]}><Input.TextArea rows={3} maxLength={1000} /></Form.Item>}
          {(action === 'return' || action === 'reopen') && <Form.Item name="reason" label="原因" rules={[{ required: true, min: 2, message: '请填写原因' }]}><Input.TextArea rows={3} maxLength={1000} /></Form.Item>}
          {action === 'resolve' && <>
            <Form.Item name="result" label="办理结果" rules={[{ required: true, min: 2, message: '请填写办理结果' }]}><Input.TextArea rows={4} maxLength={5000} /></Form.Item>
            <Form.Item
              name="amountRecovered"
              label="追回欠薪金额（元，可不填）"
              rules={[{ validator: (_r, value: unknown) => {
                const typed = typeof value === 'string' ? value.trim() : '';
                if (typed === '') return Promise.resolve();
                const checked = yuanToFen(typed);
                return checked.ok ? Promise.resolve() : Promise.reject(new Error(checked.message));
              } }]}
            ><Input inputMode="decimal" placeholder="如 24000.50" data-testid="amount-recovered" /></Form.Item>
          </>}
          {action === 'evaluate' && <>
            <Form.Item name="satisfaction" label="来电人评价" rules={[{ required: true, message: '请选择' }]}>
              <Radio.Group options={Object.entries(SATISFACTION_LABELS).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
            <Form.Item name="comment" label="回访记录"><Input.TextArea rows={2} maxLength={500} /></Form.Item>
          </>}
        </Form>
      </Modal>
    </Space>
  );
}
