import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, DatePicker, Form, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { GENDER_LABELS } from '../../../../common/members.js';
import { MEMBER_STATUS } from '../../../../common/status.js';
import { StatusTag } from '../../../kit/StatusTag.js';
import { createMember, listMembers, type Member, type MemberSummary } from '../../../api/index.js';
import { useDict } from '../../../components/dict.js';
import { applyServerError } from '../../../components/forms.js';
import { OrgSelect } from '../../../components/OrgSelect.js';
import { can, useMe } from '../../../kit/me.js';
import { CursorTable, useCursorList } from '../../../kit/CursorTable.js';

/** 会员管理: the scoped roster with search (name, last 4 of ID, full ID, phone, member number). */
export function MembersPage() {
  const me = useMe();
  const navigate = useNavigate();
  const [orgId, setOrgId] = useState<number | undefined>();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('current');
  const [adding, setAdding] = useState(false);
  const list = useCursorList(['members', orgId, q, status], (cursor) => listMembers({ orgId, q: q || undefined, status, cursor, limit: 50 }));
  return (
    <Card
      title="会员管理"
      extra={can(me, 'member.manage') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-member">登记会员</Button>}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <OrgSelect value={orgId} onChange={setOrgId} style={{ width: 280 }} placeholder="全部（本级及下级工会）" />
        {orgId && <Button onClick={() => setOrgId(undefined)}>清除</Button>}
        <Input.Search allowClear placeholder="姓名 / 证件号后四位 / 完整证件号 / 手机号 / 会员编号" style={{ width: 380 }} onSearch={(v) => setQ(v.trim())} data-testid="member-search" />
        <Select value={status} onChange={setStatus} style={{ width: 130 }} options={[
          { value: 'current', label: '在册会员' }, { value: 'active', label: '在会' }, { value: 'retained', label: '保留会籍' },
          { value: 'ended', label: '已离会' }, { value: 'all', label: '全部' },
        ]} />
      </Space>
      {list.query.isError && <Alert type="error" showIcon title={(list.query.error as Error).message} />}
      <CursorTable<MemberSummary>
        list={list} rowKey="id" size="middle"
        onRow={(r) => ({ onClick: () => navigate(`/admin/members/${r.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: '会员编号', dataIndex: 'memberNo', width: 170 },
          { title: '姓名', dataIndex: 'name', width: 100 },
          { title: '证件号码', dataIndex: 'maskedIdNumber', width: 190 },
          { title: '手机号', dataIndex: 'maskedPhone', width: 130 },
          { title: '性别', dataIndex: 'gender', width: 60, render: (g: string | null) => (g ? GENDER_LABELS[g] : '') },
          { title: '所在工会', dataIndex: 'orgName', ellipsis: true },
          { title: '入会日期', dataIndex: 'joinedOn', width: 110 },
          { title: '状态', dataIndex: 'status', width: 100, render: (s: string) => <StatusTag map={MEMBER_STATUS} value={s} /> },
        ]}
      />
      {adding && <AddMemberModal defaultOrgId={orgId} onClose={() => setAdding(false)} onCreated={(m) => { setAdding(false); navigate(`/admin/members/${m.id}`); }} />}
    </Card>
  );
}

/** 流动窗口入会: an officer registers a worker. */
function AddMemberModal({ defaultOrgId, onClose, onCreated }: { defaultOrgId?: number; onClose: () => void; onCreated: (m: Member) => void }) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const idTypes = useDict('id_type');
  const groups = useDict('member_group');
  const ethnicity = useDict('ethnicity');
  const education = useDict('education');
  const employment = useDict('employment_status');
  const submit = async (v: Record<string, unknown>) => {
    setError(null);
    try {
      const joinedOn = v.joinedOn as { format: (f: string) => string } | undefined;
      const m = await createMember({ ...v, joinedOn: joinedOn ? joinedOn.format('YYYY-MM-DD') : undefined });
      message.success(`已登记，会员编号 ${m.memberNo}`);
      await qc.invalidateQueries({ queryKey: ['members'] });
      onCreated(m);
    } catch (e) {
      setError(applyServerError(form, e));
    }
  };
  return (
    <Modal open title="登记会员" okText="登记" onOk={() => form.submit()} onCancel={onClose} width={640} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ orgId: defaultOrgId, idType: 'resident_id', groups: [] }}>
        <Form.Item name="orgId" label="所在工会" rules={[{ required: true, message: '请选择工会' }]}><OrgSelect testId="member-org" /></Form.Item>
        <Space.Compact block>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]} style={{ width: '35%' }}><Input maxLength={50} /></Form.Item>
          <Form.Item name="phone" label="手机号" rules={[{ required: true, message: '请填写手机号' }]} style={{ width: '65%' }}><Input maxLength={20} inputMode="tel" /></Form.Item>
        </Space.Compact>
        <Space.Compact block>
          <Form.Item name="idType" label="证件类型" style={{ width: '35%' }}><Select options={idTypes.options} /></Form.Item>
          <Form.Item name="idNumber" label="证件号码" rules={[{ required: true, message: '请填写证件号码' }]} style={{ width: '65%' }} extra="居民身份证的出生日期、性别自动识别"><Input maxLength={40} /></Form.Item>
        </Space.Compact>
        <Space.Compact block>
          <Form.Item name="ethnicity" label="民族" style={{ width: '33%' }}><Select allowClear showSearch={{ optionFilterProp: 'label' }} options={ethnicity.options} /></Form.Item>
          <Form.Item name="education" label="学历" style={{ width: '34%' }}><Select allowClear options={education.options} /></Form.Item>
          <Form.Item name="employmentStatus" label="就业状况" style={{ width: '33%' }}><Select allowClear options={employment.options} /></Form.Item>
        </Space.Compact>
        <Form.Item name="groups" label="会员群体"><Checkbox.Group options={groups.options} /></Form.Item>
        <Space>
          <Form.Item name="isMigrantWorker" valuePropName="checked"><Checkbox>农民工</Checkbox></Form.Item>
          <Form.Item name="joinedOn" label="入会日期（不填为今天）"><DatePicker /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
