import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Avatar, Dropdown, Form, Input, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import { Suspense, useEffect, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { changeOwnPassword, getMe, logout } from '../api/index.js';
import { ActionModal } from '../kit/ActionModal.js';
import { setUnauthenticatedHandler } from '../api/client.js';
import { ROLE_LABELS } from '../../common/enums.js';
import { adminRoutes } from './routes.js';
import { DemoBanner } from '../components/DemoBanner.js';
import { can, MeProvider } from '../kit/me.js';
import { NotificationBell } from '../kit/NotificationBell.js';

export function AdminApp() {
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const me = useQuery({ queryKey: ['me'], queryFn: getMe });
  const [changing, setChanging] = useState(false);
  const { message } = App.useApp();

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      qc.clear();
      navigate(`/admin/login?from=${encodeURIComponent(location.pathname)}`, { replace: true });
    });
  }, [navigate, location.pathname, qc]);

  // the browser tab names the page (the route's label; a detail page its list's)
  useEffect(() => {
    const path = location.pathname.replace(/^\/admin\//, '');
    const route = adminRoutes.find((r) => new RegExp(`^${r.path.replace(/:[^/]+/g, '[^/]+')}$`).test(path));
    document.title = route ? `${route.label} · 智慧工会` : '智慧工会';
  }, [location.pathname]);

  if (me.isPending) return <Spin fullscreen />;
  if (me.isError || !me.data) return <Navigate to={`/admin/login?from=${encodeURIComponent(location.pathname)}`} replace />;

  const allowed = adminRoutes.filter((r) => can(me.data, r.permission));
  const current = location.pathname.replace(/^\/admin\//, '');
  const roleText = me.data.roles.map((r) => `${r.orgName} · ${ROLE_LABELS[r.role] ?? r.role}`).join('；');

  return (
    <MeProvider me={me.data}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Sider width={208} theme="dark" breakpoint="lg" collapsedWidth={0}>
          <div style={{ color: '#fff', fontSize: 18, fontWeight: 600, padding: '18px 20px', letterSpacing: 2 }}>智慧工会</div>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[current]}
            items={allowed.filter((r) => !r.hidden).map((r) => ({ key: r.path, icon: r.icon, label: r.label }))}
            onClick={(e) => navigate(`/admin/${e.key}`)}
          />
        </Layout.Sider>
        <Layout>
          <Layout.Header style={{ background: '#fff', display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '0 24px', borderBottom: '1px solid #f0f0f0' }}>
            <Typography.Text type="secondary" ellipsis style={{ maxWidth: '60%' }}>{roleText}</Typography.Text>
            <Space size={16}>
              <NotificationBell />
              <Dropdown
                menu={{
                  items: [{ key: 'password', icon: <KeyOutlined />, label: '修改密码' }, { key: 'logout', icon: <LogoutOutlined />, label: '退出登录' }],
                  onClick: async (e) => {
                    if (e.key === 'password') { setChanging(true); return; }
                    await logout().catch(() => undefined);
                    qc.clear();
                    navigate('/admin/login', { replace: true });
                  },
                }}
              >
                <span style={{ cursor: 'pointer' }} data-testid="current-user">
                  <Avatar size="small" icon={<UserOutlined />} style={{ marginRight: 8 }} />
                  {me.data.user.name}
                </span>
              </Dropdown>
            </Space>
          </Layout.Header>
          <DemoBanner />
          {changing && (
            <ActionModal<{ currentPassword: string; newPassword: string; confirm: string }> title="修改密码" okText="修改" onClose={() => setChanging(false)}
              onSubmit={(v) => changeOwnPassword(v.currentPassword, v.newPassword)} onDone={() => { setChanging(false); message.success('密码已修改，其他设备上的登录已退出'); }}>
              <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}><Input.Password autoComplete="current-password" /></Form.Item>
              <Form.Item name="newPassword" label="新密码" extra="至少 10 位，含大写字母、小写字母、数字、符号中的至少三类" rules={[{ required: true, message: '请输入新密码' }]}><Input.Password autoComplete="new-password" /></Form.Item>
              <Form.Item name="confirm" label="再次输入新密码" dependencies={['newPassword']} rules={[{ required: true, message: '请再次输入新密码' }, ({ getFieldValue }) => ({ validator: (_r, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致'))) })]}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            </ActionModal>
          )}
          <Layout.Content style={{ margin: 16 }}>
            <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
            <Routes>
              {allowed.map((r) => <Route key={r.path} path={r.path} element={r.element} />)}
              <Route path="" element={allowed.find((r) => !r.hidden) ? <Navigate to={`/admin/${allowed.find((r) => !r.hidden)?.path ?? ''}`} replace /> : <Result status="403" title="没有可用的功能" />} />
              <Route path="*" element={<Result status="404" title="页面不存在或无权访问" />} />
            </Routes>
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
    </MeProvider>
  );
}
