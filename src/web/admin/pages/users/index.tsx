import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { ROLE_LABELS } from '../../../../common/enums.js';
import { createUser, grantRole, listOrgs, listUsers, resetPassword, revokeRole, updateUser, type User } from '../../../api/index.js';
import { ActionModal } from '../../../kit/ActionModal.js';
import { OrgSelect } from '../../../components/OrgSelect.js';
import { applyServerError } from '../../../components/forms.js';
import { can, useMe } from '../../../kit/me.js';
import { CursorTable, useCursorList } from '../../../kit/CursorTable.js';

const roleOptions = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));

/** 账号管理: officers holding roles in the caller's subtree. */
export function UsersPage() {
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const [orgOptions, setOrgOptions] = useState<Array<{ value: number; label: string }>>([]);
  const [resetting, setResetting] = useState<User | null>(null);
  const [roles, setRoles] = useState<User | null>(null);

  const users = useCursorList(['users', q], (cursor) => listUsers({ q: q || undefined, cursor, limit: 50 }));

  const searchOrgs = async (text: string) => {
    const r = await listOrgs(text.trim() ? { q: text.trim(), limit: 20 } : { limit: 20 });
    setOrgOptions(r.items.map((o) => ({ value: o.id, label: o.name })));
  };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null) as { username: string; name: string; password: string; orgId: number; role: string } | null;
    if (!v) return; // the field errors show on the fields
    try {
      await createUser({ username: v.username, name: v.name, password: v.password, roles: [{ orgId: v.orgId, role: v.role }] });
      message.success('账号已创建');
      setOpen(false);
      await qc.invalidateQueries({ queryKey: ['users'] });
    } catch (e) {
      const msg = applyServerError(form, e);
      if (msg) message.error(msg);
    }
  };

  const toggle = async (u: User, patch: { disabled?: boolean; unlock?: boolean }) => {
    try {
      await updateUser(u.id, patch);
      message.success('已更新');
      await qc.invalidateQueries({ queryKey: ['users'] });
    } catch (e) {
      message.error(e instanceof Error ? e.message : '操作失败');
    }
  };

  return (
    <Card
      title="账号管理"
      extra={
        <Space>
          <Input.Search placeholder="用户名或姓名" allowClear onSearch={(v) => setQ(v.trim())} style={{ width: 220 }} />
          {can(me, 'user.manage') && <Button type="primary" icon={<PlusOutlined />} onClick={() => { form.resetFields(); void searchOrgs(''); setOpen(true); }}>新建账号</Button>}
        </Space>
      }
    >
      <CursorTable<User>
        list={users} rowKey="id" size="middle"
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'name' },
          { title: '角色（本级及下级）', dataIndex: 'roles', render: (roles: User['roles']) => roles.map((r) => <Tag key={`${r.orgId}-${r.role}`}>{r.orgName} · {ROLE_LABELS[r.role] ?? r.role}</Tag>) },
          { title: '状态', key: 'status', width: 120, render: (_, u) => (u.disabled ? <Tag color="default">已停用</Tag> : u.locked ? <Tag color="orange">已锁定</Tag> : <Tag color="green">正常</Tag>) },
          {
            title: '操作', key: 'op', width: 260,
            render: (_, u) => can(me, 'user.manage') && u.id !== me.user.id && (
              <Space size={0} wrap>
                <Button size="small" type="link" onClick={() => setRoles(u)} data-testid={`roles-${u.username}`}>角色</Button>
                <Button size="small" type="link" onClick={() => setResetting(u)} data-testid={`reset-${u.username}`}>重置密码</Button>
                <Button size="small" type="link" onClick={() => void toggle(u, { disabled: !u.disabled })}>{u.disabled ? '启用' : '停用'}</Button>
                {u.locked && <Button size="small" type="link" onClick={() => void toggle(u, { unlock: true })}>解锁</Button>}
              </Space>
            ),
          },
        ]}
      />
      {resetting && (
        <ActionModal<{ newPassword: string }> title={`重置密码：${resetting.name}（${resetting.username}）`} okText="重置" onClose={() => setResetting(null)}
          onSubmit={(v) => resetPassword(resetting.id, v.newPassword)} onDone={() => { message.success('密码已重置，该账号需用新密码重新登录'); setResetting(null); }}>
          <Form.Item name="newPassword" label="新密码" extra="至少 10 位，含大写字母、小写字母、数字、符号中的至少三类；请当面或电话告知本人" rules={[{ required: true, message: '请输入新密码' }]}><Input.Password autoComplete="new-password" /></Form.Item>
        </ActionModal>
      )}
      {roles && <RolesModal user={roles} onClose={() => setRoles(null)} onChanged={async (u) => { setRoles(u); await qc.invalidateQueries({ queryKey: ['users'] }); }} />}
      <Modal title="新建账号" open={open} onCancel={() => setOpen(false)} onOk={submit} okText="创建" cancelText="取消" destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }, { pattern: /^[A-Za-z][A-Za-z0-9_.-]{2,49}$/, message: '字母开头，3–50 位字母、数字、_ . -' }]}><Input /></Form.Item>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请输入姓名' }]}><Input maxLength={50} /></Form.Item>
          <Form.Item name="password" label="初始密码" extra="至少 10 位，含大写字母、小写字母、数字、符号中的至少三类" rules={[{ required: true, message: '请输入密码' }]}><Input.Password /></Form.Item>
          <Form.Item name="orgId" label="所在工会" rules={[{ required: true, message: '请选择工会' }]}>
            <Select showSearch={{ filterOption: false, onSearch: (v) => void searchOrgs(v) }} options={orgOptions} placeholder="输入名称搜索" />
          </Form.Item>
          <Form.Item name="role" label="角色" initialValue="officer" rules={[{ required: true }]}><Select options={roleOptions} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

/** 角色: the account's roles in the caller's subtree, each revocable, and a form to grant one more. */
function RolesModal({ user, onClose, onChanged }: { user: User; onClose: () => void; onChanged: (u: User) => Promise<void> }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ orgId: number; role: string }>();
  const run = async (f: () => Promise<User>, done: string) => {
    try {
      await onChanged(await f());
      message.success(done);
      form.resetFields();
    } catch (e) {
      const msg = applyServerError(form, e);
      if (msg) message.error(msg);
    }
  };
  return (
    <Modal open title={`角色：${user.name}（${user.username}）`} onCancel={onClose} footer={null} destroyOnHidden>
      <Space wrap style={{ marginBottom: 16 }} data-testid="role-tags">
        {user.roles.length === 0 && <span>（本级及下级没有角色）</span>}
        {user.roles.map((r) => (
          <Tag key={`${r.orgId}-${r.role}`} closable={r.id !== undefined} onClose={(e) => { e.preventDefault(); if (r.id !== undefined) void run(() => revokeRole(user.id, r.id as number), '角色已撤销'); }}>
            {r.orgName} · {ROLE_LABELS[r.role] ?? r.role}
          </Tag>
        ))}
      </Space>
      <Form form={form} layout="inline" initialValues={{ role: 'officer' }} onFinish={(v) => void run(() => grantRole(user.id, v), '角色已授予')}>
        <Form.Item name="orgId" rules={[{ required: true, message: '请选择工会' }]} style={{ width: 240 }}><OrgSelect placeholder="选择工会" /></Form.Item>
        <Form.Item name="role"><Select options={roleOptions} style={{ width: 120 }} /></Form.Item>
        <Button type="primary" htmlType="submit">授予</Button>
      </Form>
    </Modal>
  );
}
