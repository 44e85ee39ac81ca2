import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Image, Input, Modal, Radio, Select, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { GENDER_LABELS, JOIN_CHANNEL_LABELS, LEAVE_LABELS } from '../../../../common/members.js';
import { MEMBER_STATUS } from '../../../../common/status.js';
import { StatusTag } from '../../../kit/StatusTag.js';
import { createTransfer, getMember, leaveMember, memberCard, memberHistory, revealMember, updateMember, type Member } from '../../../api/index.js';
import { ApiError } from '../../../api/client.js';
import { useDict } from '../../../components/dict.js';
import { applyServerError } from '../../../components/forms.js';
import { fmtDateTime } from '../../../components/format.js';
import { OrgSelect } from '../../../components/OrgSelect.js';
import { can, useMe } from '../../../kit/me.js';

type Dialog = null | 'edit' | 'leave' | 'transfer' | 'card' | { reveal: 'idNumber' | 'phone' };

/** One member: masked details, reveal with a reason, edit, 保留/除名/退会, 转会, card and 会籍变化 history. */
export function MemberPage() {
  const id = Number(useParams().id);
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const member = useQuery({ queryKey: ['member', id], queryFn: () => getMember(id) });
  const history = useQuery({ queryKey: ['member-history', id], queryFn: () => memberHistory(id) });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [revealed, setRevealed] = useState<{ idNumber?: string; phone?: string }>({});
  const idTypes = useDict('id_type');
  const groups = useDict('member_group');
  const ethnicity = useDict('ethnicity');
  const education = useDict('education');
  const employment = useDict('employment_status');
  const reasons = useDict('change_reason');
  if (member.isPending) return <Spin />;
  if (member.isError) return <Alert type="error" showIcon title={(member.error as Error).message} />;
  const m = member.data;
  const current = m.status === 'active' || m.status === 'retained';
  const manage = can(me, 'member.manage') && current;
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['member', id] });
    await qc.invalidateQueries({ queryKey: ['member-history', id] });
    await qc.invalidateQueries({ queryKey: ['members'] });
  };
  const revealButton = (field: 'idNumber' | 'phone') => can(me, 'member.reveal') && !revealed[field] && (
    <Button size="small" type="link" onClick={() => setDialog({ reveal: field })} data-testid={`reveal-${field}`}>查看完整</Button>
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={<span>{m.name} <StatusTag map={MEMBER_STATUS} value={m.status} /></span>}
        extra={
          <Space wrap>
            <Button onClick={() => navigate('/admin/members')}>返回列表</Button>
            {m.status === 'active' && <Button onClick={() => setDialog('card')} data-testid="show-card">电子会员证</Button>}
            {manage && <Button onClick={() => setDialog('edit')}>编辑</Button>}
            {manage && <Button onClick={() => setDialog('transfer')}>转会</Button>}
            {manage && <Button danger onClick={() => setDialog('leave')}>保留 / 除名 / 退会</Button>}
          </Space>
        }
      >
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" bordered>
          <Descriptions.Item label="会员编号">{m.memberNo}</Descriptions.Item>
          <Descriptions.Item label="证件类型">{idTypes.label(m.idType)}</Descriptions.Item>
          <Descriptions.Item label="证件号码"><span data-testid="id-number">{revealed.idNumber ?? m.maskedIdNumber}</span> {revealButton('idNumber')}</Descriptions.Item>
          <Descriptions.Item label="手机号"><span data-testid="phone">{revealed.phone ?? m.maskedPhone}</span> {revealButton('phone')}</Descriptions.Item>
          <Descriptions.Item label="性别">{m.gender ? GENDER_LABELS[m.gender] : ''}</Descriptions.Item>
          <Descriptions.Item label="出生日期">{m.birthDate ?? ''}</Descriptions.Item>
          <Descriptions.Item label="民族">{ethnicity.label(m.ethnicity)}</Descriptions.Item>
          <Descriptions.Item label="学历">{education.label(m.education)}</Descriptions.Item>
          <Descriptions.Item label="就业状况">{employment.label(m.employmentStatus)}</Descriptions.Item>
          <Descriptions.Item label="会员群体">{m.groups.map((g) => <Tag key={g}>{groups.label(g)}</Tag>)}{m.isMigrantWorker && <Tag color="blue">农民工</Tag>}</Descriptions.Item>
          <Descriptions.Item label="所在工会">{m.orgName}</Descriptions.Item>
          <Descriptions.Item label="入会日期">{m.joinedOn}</Descriptions.Item>
          <Descriptions.Item label="入会方式">{JOIN_CHANNEL_LABELS[m.channel] ?? m.channel}</Descriptions.Item>
          <Descriptions.Item label="进入本工会">{m.startedOn}</Descriptions.Item>
          {m.endedOn && <Descriptions.Item label="离会日期">{m.endedOn}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card title="会籍变化记录">
        <Timeline items={(history.data ?? []).map((h) => ({
          color: h.changeType === '1' || h.changeType === '2' ? 'green' : h.changeType === '3' ? 'orange' : 'gray',
          content: (
            <div data-testid="history-item">
              <Typography.Text strong>{h.changeTypeLabel}</Typography.Text> · {h.orgName}
              {h.relatedOrgName && <span>（{h.changeType === '2' ? '自' : '至'} {h.relatedOrgName}）</span>}
              {h.reasonCode && <span> · {reasons.label(h.reasonCode)}</span>}
              {h.note && <div><Typography.Text type="secondary">{h.note}</Typography.Text></div>}
              <div><Typography.Text type="secondary">{fmtDateTime(h.at)}{h.actorName ? ` · ${h.actorName}` : ''}</Typography.Text></div>
            </div>
          ),
        }))} />
      </Card>
      {dialog && typeof dialog === 'object' && (
        <RevealModal member={m} field={dialog.reveal} onClose={() => setDialog(null)} onRevealed={(v) => { setRevealed({ ...revealed, [dialog.reveal]: v }); setDialog(null); }} />
      )}
      {dialog === 'edit' && <EditModal member={m} onClose={() => setDialog(null)} onSaved={async () => { setDialog(null); await refresh(); }} />}
      {dialog === 'leave' && <LeaveModal member={m} reasons={reasons.options} onClose={() => setDialog(null)} onDone={async () => { setDialog(null); await refresh(); }} />}
      {dialog === 'transfer' && <TransferModal member={m} onClose={() => setDialog(null)} onDone={async () => { setDialog(null); navigate('/admin/transfers'); }} />}
      {dialog === 'card' && <CardModal member={m} onClose={() => setDialog(null)} />}
    </Space>
  );
}

function RevealModal({ member, field, onClose, onRevealed }: { member: Member; field: 'idNumber' | 'phone'; onClose: () => void; onRevealed: (v: string) => void }) {
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { reason: string }) => {
    try {
      onRevealed((await revealMember(member.id, field, v.reason)).value);
    } catch (e) {
      setError(applyServerError(form, e));
    }
  };
  return (
    <Modal open title={`查看完整${field === 'idNumber' ? '证件号码' : '手机号'}`} okText="查看" onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      <Alert type="warning" showIcon title="查看个人敏感信息须说明事由，操作将记入审计日志。" style={{ marginBottom: 12 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="reason" label="查看事由" rules={[{ required: true, min: 2, message: '请填写事由（至少 2 个字）' }]}><Input maxLength={200} data-testid="reveal-reason" /></Form.Item>
      </Form>
    </Modal>
  );
}

function EditModal({ member, onClose, onSaved }: { member: Member; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const groups = useDict('member_group');
  const education = useDict('education');
  const employment = useDict('employment_status');
  const submit = async (v: Record<string, unknown>) => {
    try {
      const body: Record<string, unknown> = { version: member.version, name: v.name, education: v.education ?? null, employmentStatus: v.employmentStatus ?? null, groups: v.groups };
      if (typeof v.phone === 'string' && v.phone.trim()) body.phone = v.phone.trim();
      await updateMember(member.id, body);
      onSaved();
    } catch (e) {
      setError(applyServerError(form, e));
    }
  };
  return (
    <Modal open title="编辑会员资料" okText="保存" onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ name: member.name, education: member.education, employmentStatus: member.employmentStatus, groups: member.groups }}>
        <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}><Input maxLength={50} /></Form.Item>
        <Form.Item name="phone" label="新手机号（不改请留空）"><Input maxLength={20} placeholder={member.maskedPhone} /></Form.Item>
        <Form.Item name="education" label="学历"><Select allowClear options={education.options} /></Form.Item>
        <Form.Item name="employmentStatus" label="就业状况"><Select allowClear options={employment.options} /></Form.Item>
        <Form.Item name="groups" label="会员群体"><Select mode="multiple" options={groups.options} /></Form.Item>
      </Form>
    </Modal>
  );
}

function LeaveModal({ member, reasons, onClose, onDone }: { member: Member; reasons: Array<{ value: string; label: string }>; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { type: string; reason: string; reasonCode?: string }) => {
    try {
      await leaveMember(member.id, v);
      onDone();
    } catch (e) {
      setError(applyServerError(form, e));
    }
  };
  const types = member.status === 'retained' ? ['expel', 'withdraw'] : ['retain', 'expel', 'withdraw'];
  return (
    <Modal open title="会籍变更" okText="确定" okButtonProps={{ danger: true }} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ type: types[0] }}>
        <Form.Item name="type" label="变更类型"><Radio.Group options={types.map((t) => ({ value: t, label: LEAVE_LABELS[t] }))} /></Form.Item>
        <Form.Item name="reasonCode" label="变化原因"><Select allowClear options={reasons} /></Form.Item>
        <Form.Item name="reason" label="说明" rules={[{ required: true, min: 2, message: '请填写说明' }]}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}

function TransferModal({ member, onClose, onDone }: { member: Member; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const { message } = App.useApp();
  const submit = async (v: { toOrgId: number; reason: string }) => {
    try {
      await createTransfer({ memberId: member.id, ...v });
      message.success('已同意转出，等待新工会接收');
      onDone();
    } catch (e) {
      setError(applyServerError(form, e));
    }
  };
  return (
    <Modal open title="转会（转出）" okText="发起" onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      <Typography.Paragraph type="secondary">会员随劳动关系变动转会。新工会接收前，会员仍计入本工会。</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="toOrgId" label="转入工会" rules={[{ required: true, message: '请选择转入工会' }]}><OrgSelect directory /></Form.Item>
        <Form.Item name="reason" label="转会原因" rules={[{ required: true, min: 2, message: '请填写原因' }]}><Input maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}

function CardModal({ member, onClose }: { member: Member; onClose: () => void }) {
  const card = useQuery({ queryKey: ['card', member.id], queryFn: () => memberCard(member.id), refetchInterval: 9 * 60_000 });
  return (
    <Modal open title="电子会员证" footer={null} onCancel={onClose}>
      {card.isError && <Alert type="error" showIcon title={card.error instanceof ApiError ? card.error.message : '加载失败'} />}
      {card.data && (
        <div style={{ textAlign: 'center' }}>
          <Typography.Title level={4}>{card.data.name}</Typography.Title>
          <div>{card.data.orgName}</div>
          <div>会员编号 {card.data.memberNo}</div>
          <Image src={card.data.qr} width={220} preview={false} alt="会员证二维码" />
          <div><Typography.Text type="secondary">二维码 {fmtDateTime(card.data.expiresAt)} 前有效</Typography.Text></div>
        </div>
      )}
    </Modal>
  );
}
