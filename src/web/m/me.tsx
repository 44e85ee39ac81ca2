import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Form, Image, Input, List, Segmented, Select, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/client.js';
import { workerApplications, workerCard, workerLogin, workerLogout, workerMe, workerNotifications, workerOptions, workerReadAll, workerRegister, workerRequests, workerSmsCode, type WorkerMe } from '../api/index.js';
import { useDict } from '../components/dict.js';
import { applyServerError } from '../components/forms.js';
import { fmtDateTime, fmtShort } from '../components/format.js';
import { MobileShell } from './shell.js';

const message = (e: unknown) => (e instanceof Error ? e.message : '网络错误，请稍后再试');

/** /m/me — 我的: sign in or open an account, then the worker's own card, messages and services. */
export function MePage() {
  const qc = useQueryClient();
  const me = useQuery({ queryKey: ['worker-me'], queryFn: workerMe, retry: false });
  if (me.isPending) return <MobileShell title="我的"><Spin style={{ display: 'block', margin: 40 }} /></MobileShell>;
  if (me.isError || !me.data) return <SignIn onDone={() => void qc.invalidateQueries({ queryKey: ['worker-me'] })} />;
  return <Home me={me.data} onLogout={async () => { await workerLogout(); qc.removeQueries({ queryKey: ['worker-me'] }); await qc.invalidateQueries({ queryKey: ['worker-me'] }); }} />;
}

function SignIn({ onDone }: { onDone: () => void }) {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [error, setError] = useState<string | null>(null);
  const [loginForm] = Form.useForm();
  const [registerForm] = Form.useForm();
  const idTypes = useDict('id_type');
  const options = useQuery({ queryKey: ['worker-options'], queryFn: workerOptions });
  const [codeNote, setCodeNote] = useState<string | null>(null);
  const sendCode = async () => {
    setError(null);
    try { setCodeNote((await workerSmsCode(String(registerForm.getFieldValue('phone') ?? ''))).message); } catch (e) { setError(message(e)); }
  };
  const login = async (v: { phone: string; password: string }) => {
    setError(null);
    try { await workerLogin(v.phone, v.password); onDone(); } catch (e) { setError(message(e)); }
  };
  const register = async (v: { idType: string; idNumber: string; phone: string; password: string; smsCode?: string }) => {
    setError(null);
    try {
      await workerRegister({ idType: v.idType, idNumber: v.idNumber, phone: v.phone, password: v.password, ...(v.smsCode ? { smsCode: v.smsCode } : {}) });
      await workerLogin(v.phone, v.password);
      onDone();
    } catch (e) {
      const msg = e instanceof ApiError ? applyServerError(registerForm, e) : message(e);
      if (msg) setError(msg);
    }
  };
  return (
    <MobileShell title="我的">
      <Card size="small">
        <Segmented block value={mode} onChange={(v) => { setMode(v as typeof mode); setError(null); }} options={[{ value: 'login', label: '登录' }, { value: 'register', label: '开通账号' }]} style={{ marginBottom: 12 }} />
        {mode === 'login' ? (
          <Form form={loginForm} layout="vertical" onFinish={(v: { phone: string; password: string }) => void login(v)}>
            <Form.Item name="phone" label="手机号" rules={[{ required: true, message: '请填写手机号' }]}><Input inputMode="tel" maxLength={20} autoComplete="username" /></Form.Item>
            <Form.Item name="password" label="密码" rules={[{ required: true, message: '请填写密码' }]}><Input.Password maxLength={200} autoComplete="current-password" /></Form.Item>
            <Button type="primary" htmlType="submit" block>登录</Button>
          </Form>
        ) : (
          <Form form={registerForm} layout="vertical" initialValues={{ idType: 'resident_id' }} onFinish={(v: { idType: string; idNumber: string; phone: string; password: string; smsCode?: string }) => void register(v)}>
            <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>已入会的职工，用证件号码和入会时登记的手机号核验身份后设置密码。</Typography.Paragraph>
            <Form.Item name="idType" label="证件类型"><Select options={idTypes.options} /></Form.Item>
            <Form.Item name="idNumber" label="证件号码" rules={[{ required: true, message: '请填写证件号码' }]}><Input maxLength={40} /></Form.Item>
            <Form.Item name="phone" label="登记的手机号" rules={[{ required: true, message: '请填写手机号' }]}><Input inputMode="tel" maxLength={20} autoComplete="username" /></Form.Item>
            {options.data?.smsCode && (
              <Form.Item name="smsCode" label="短信验证码" extra={codeNote} rules={[{ required: true, message: '请填写短信验证码' }]}>
                <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" addonAfter={<a onClick={() => void sendCode()}>获取验证码</a>} />
              </Form.Item>
            )}
            <Form.Item name="password" label="设置密码" extra="至少 10 位，含大写字母、小写字母、数字、符号中的三类" rules={[{ required: true, message: '请设置密码' }]}><Input.Password maxLength={200} autoComplete="new-password" /></Form.Item>
            <Form.Item name="confirm" label="再次输入密码" dependencies={['password']} rules={[{ required: true, message: '请再次输入密码' }, ({ getFieldValue }) => ({ validator: (_r, v) => (v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致'))) })]}>
              <Input.Password maxLength={200} autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block>核验并开通</Button>
          </Form>
        )}
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="worker-error" />}
    </MobileShell>
  );
}

function Home({ me, onLogout }: { me: WorkerMe; onLogout: () => Promise<void> }) {
  const qc = useQueryClient();
  const [showCard, setShowCard] = useState(false);
  const card = useQuery({ queryKey: ['worker-card'], queryFn: workerCard, enabled: showCard, refetchInterval: 9 * 60_000 });
  const notes = useQuery({ queryKey: ['worker-notes'], queryFn: workerNotifications });
  const [open, setOpen] = useState<'join' | 'hotline' | null>(null);
  const apps = useQuery({ queryKey: ['worker-apps'], queryFn: workerApplications, enabled: open === 'join' });
  const reqs = useQuery({ queryKey: ['worker-requests'], queryFn: workerRequests, enabled: open === 'hotline' });
  return (
    <MobileShell title="我的">
      <div data-testid="worker-home" style={{ background: 'linear-gradient(135deg, #c8161d, #e8483f)', color: '#fff', borderRadius: 12, padding: 18 }}>
        <div style={{ fontSize: 22, fontWeight: 600 }}>{me.name}</div>
        <div style={{ fontSize: 14, marginTop: 4 }}>{me.membership ? me.membership.orgName : '当前不在会'}</div>
        <div style={{ fontSize: 13, opacity: 0.9, marginTop: 6 }}>会员编号 {me.memberNo} · 手机 {me.maskedPhone}</div>
      </div>
      <Card size="small" style={{ marginTop: 12 }}>
        <List
          size="small"
          dataSource={[
            { key: 'card', title: '电子会员证', onClick: () => setShowCard((v) => !v) },
            { key: 'join', title: '我的入会申请', onClick: () => setOpen((v) => (v === 'join' ? null : 'join')) },
            { key: 'hotline', title: '我的维权诉求（12351）', onClick: () => setOpen((v) => (v === 'hotline' ? null : 'hotline')) },
            { key: 'ask', title: '提交维权诉求', to: '/m/hotline' },
          ]}
          renderItem={(i) => (
            <List.Item style={{ cursor: 'pointer' }} onClick={i.onClick} data-testid={`me-${i.key}`}>
              {i.to ? <Link to={i.to}>{i.title}</Link> : <span>{i.title}</span>}
            </List.Item>
          )}
        />
      </Card>
      {open === 'join' && (
        <Card size="small" title="我的入会申请" style={{ marginTop: 12 }} data-testid="my-applications">
          {apps.isPending ? <Spin /> : (
            <List size="small" dataSource={apps.data?.items ?? []} locale={{ emptyText: '没有入会申请记录' }} renderItem={(a) => (
              <List.Item>
                <div style={{ width: '100%' }}>
                  <div><Typography.Text strong>{a.orgName}</Typography.Text> <Tag color={a.status === 'approved' ? 'green' : a.status === 'rejected' ? 'default' : 'blue'}>{a.statusLabel}</Tag></div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>申请编号 {a.applicationNo} · {fmtShort(a.submittedAt)}</Typography.Text>
                  {a.rejectReason && <div><Typography.Text type="warning" style={{ fontSize: 13 }}>原因：{a.rejectReason}</Typography.Text></div>}
                </div>
              </List.Item>
            )} />
          )}
        </Card>
      )}
      {open === 'hotline' && (
        <Card size="small" title="我的维权诉求" style={{ marginTop: 12 }} data-testid="my-requests">
          {reqs.isPending ? <Spin /> : (
            <List size="small" dataSource={reqs.data?.items ?? []} locale={{ emptyText: '没有诉求记录' }} renderItem={(r) => (
              <List.Item>
                <div style={{ width: '100%' }}>
                  <div><Typography.Text strong>{r.categoryLabel}</Typography.Text> <Tag color={r.status === 'resolved' || r.status === 'evaluated' || r.status === 'closed' ? 'green' : 'blue'}>{r.statusLabel}</Tag></div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>工单号 {r.ticketNo} · 受理 {fmtShort(r.receivedAt)} · 时限 {fmtShort(r.deadline)}</Typography.Text>
                  {r.result && <div style={{ fontSize: 13 }}>办理结果：{r.result}</div>}
                  {r.canEvaluate && <Link to={`/m/hotline/lookup?ticketNo=${r.ticketNo}`}>去评价</Link>}
                </div>
              </List.Item>
            )} />
          )}
        </Card>
      )}
      {showCard && (
        <Card size="small" style={{ marginTop: 12, textAlign: 'center' }} data-testid="worker-card">
          {card.data ? (
            <>
              <Image src={card.data.qr} width={200} preview={false} alt="会员证二维码" />
              <div><Typography.Text type="secondary">出示二维码供站点、商户核验 · {fmtDateTime(card.data.expiresAt)} 前有效</Typography.Text></div>
            </>
          ) : card.isError ? <Alert type="warning" showIcon title={message(card.error)} /> : <Spin />}
        </Card>
      )}
      <Card
        size="small"
        style={{ marginTop: 12 }}
        title={<span>我的消息 <Badge count={notes.data?.unreadCount ?? 0} size="small" /></span>}
        extra={(notes.data?.unreadCount ?? 0) > 0 && <Button size="small" type="link" onClick={async () => { await workerReadAll(); await qc.invalidateQueries({ queryKey: ['worker-notes'] }); }}>全部已读</Button>}
      >
        <List
          size="small"
          dataSource={notes.data?.items ?? []}
          locale={{ emptyText: '暂无消息' }}
          renderItem={(n) => (
            <List.Item>
              <div>
                <Typography.Text strong={!n.read}>{n.message}</Typography.Text>
                <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{fmtShort(n.createdAt)}</Typography.Text></div>
              </div>
            </List.Item>
          )}
        />
      </Card>
      <Button block style={{ marginTop: 12 }} onClick={() => void onLogout()}>退出登录</Button>
    </MobileShell>
  );
}
