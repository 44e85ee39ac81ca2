import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Image, Input, Result, Select, Segmented, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client.js';
import { applicationStatus, joinOrg, myCard, submitApplication, verifyCard, type MemberCard } from '../api/index.js';
import { useDict } from '../components/dict.js';
import { applyServerError } from '../components/forms.js';
import { fmtDateTime } from '../components/format.js';
import { MobileShell } from './shell.js';
import { PublicLookupForm, usePublicLookup } from '../kit/PublicLookup.js';

type CardQuery = { applicationNo?: string; idType?: string; idNumber?: string; phone: string };
const message = (e: unknown) => (e instanceof ApiError ? e.message : '网络错误，请稍后再试');

/** /m/join?org=… — 扫码入会: the worker applies to the union of the QR code. */
export function JoinPage() {
  const [params] = useSearchParams();
  const orgId = Number(params.get('org'));
  const org = useQuery({ queryKey: ['join-org', orgId], queryFn: () => joinOrg(orgId), enabled: orgId > 0, retry: false });
  const idTypes = useDict('id_type');
  const groups = useDict('member_group');
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ applicationNo: string; phone: string; message: string } | null>(null);
  const [agreed, setAgreed] = useState(false);
  if (!orgId || org.isError) {
    return <MobileShell title="扫码入会"><Result status="warning" title="二维码无效" subTitle="请重新扫描本单位工会的入会二维码" /></MobileShell>;
  }
  if (org.isPending) return <MobileShell title="扫码入会"><Spin /></MobileShell>;
  const submit = async (v: Record<string, unknown>) => {
    setError(null);
    try {
      const r = await submitApplication({ ...v, orgId, channel: 'qr' });
      setDone({ applicationNo: r.applicationNo, phone: String(v.phone), message: r.message });
    } catch (e) {
      setError(applyServerError(form, e));
    }
  };
  if (done) {
    return (
      <MobileShell title="扫码入会">
        <Result status="success" title="申请已提交" subTitle={<span>申请编号 <Typography.Text copyable strong data-testid="application-no">{done.applicationNo}</Typography.Text><br />{org.data.name}审核后，可凭申请编号和手机号查询结果<br /><Typography.Text type="secondary">{done.message}</Typography.Text></span>}
          extra={<Link to={`/m/join/status?applicationNo=${done.applicationNo}`}><Button type="primary" block>查询审核结果</Button></Link>} />
      </MobileShell>
    );
  }
  return (
    <MobileShell title="扫码入会">
      <Card size="small">
        <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="join-org-name">申请加入：{org.data.name}</Typography.Title>
        <Typography.Paragraph type="secondary">“劳动关系在哪里，会籍就在哪里”。已是工会会员的，更换单位后请办理转会，无需重新入会。</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="join-error" />}
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ idType: 'resident_id', groups: [] }}>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}><Input maxLength={50} autoComplete="name" /></Form.Item>
          <Form.Item name="idType" label="证件类型"><Select options={idTypes.options} /></Form.Item>
          <Form.Item name="idNumber" label="证件号码" rules={[{ required: true, message: '请填写证件号码' }]}><Input maxLength={40} /></Form.Item>
          <Form.Item name="phone" label="手机号" rules={[{ required: true, message: '请填写手机号' }]}><Input inputMode="tel" maxLength={20} autoComplete="tel" /></Form.Item>
          <Form.Item name="employer" label="工作单位"><Input maxLength={100} /></Form.Item>
          <Form.Item name="occupation" label="职业 / 岗位"><Input maxLength={50} /></Form.Item>
          <Form.Item name="groups" label="所属群体（可多选）"><Checkbox.Group options={groups.options} style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', rowGap: 6 }} /></Form.Item>
          <Checkbox checked={agreed} onChange={(e) => setAgreed(e.target.checked)} style={{ marginBottom: 12 }} data-testid="join-agree">
            本人自愿加入中国工会，承认《中国工会章程》，并同意工会依法使用以上信息办理入会
          </Checkbox>
          <Button type="primary" htmlType="submit" block size="large" disabled={!agreed}>提交入会申请</Button>
        </Form>
        <div style={{ marginTop: 12, textAlign: 'center' }}><Link to="/m/join/status">已申请？查询审核结果</Link></div>
      </Card>
    </MobileShell>
  );
}

/** /m/join/status — the worker checks the application with its number and phone. */
export function JoinStatusPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { result: found, error, find } = usePublicLookup(applicationStatus);
  const result = found ? { ...found.r, phone: found.phone } : null;
  return (
    <MobileShell title="查询入会申请">
      <PublicLookupForm numberLabel="申请编号" phoneLabel="申请时的手机号" initialNumber={params.get('applicationNo')} onFind={find} error={error} />
      {result && (
        <Card size="small" style={{ marginTop: 12 }}>
          <Result
            status={result.status === 'approved' ? 'success' : result.status === 'rejected' ? 'error' : 'info'}
            title={<span data-testid="application-status">{result.statusLabel}</span>}
            subTitle={<span>{result.orgName}{result.rejectReason ? `：${result.rejectReason}` : ''}<br />提交于 {fmtDateTime(result.submittedAt)}</span>}
            extra={result.status === 'approved' && (
              <Button type="primary" block onClick={() => navigate('/m/card', { state: { applicationNo: result.applicationNo, phone: result.phone } })} data-testid="open-card">查看电子会员证</Button>
            )}
          />
        </Card>
      )}
    </MobileShell>
  );
}

/** /m/card — the worker's electronic member card; its QR carries a signed token that expires in 10 minutes. */
export function CardPage() {
  const navigate = useNavigate();
  const state = useLocation().state as { applicationNo?: string; phone?: string } | null;
  const [by, setBy] = useState<'application' | 'id'>('application');
  const [query, setQuery] = useState<CardQuery | null>(state?.applicationNo && state.phone ? { applicationNo: state.applicationNo, phone: state.phone } : null);
  const [card, setCard] = useState<MemberCard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const idTypes = useDict('id_type');
  useEffect(() => {
    if (!query) return;
    let stop = false;
    const load = () => myCard(query).then((c) => { if (!stop) { setCard(c); setError(null); } }).catch((e: unknown) => { if (!stop) { setCard(null); setError(message(e)); } });
    void load();
    const timer = setInterval(() => void load(), 9 * 60_000);
    return () => { stop = true; clearInterval(timer); };
  }, [query]);
  if (card) {
    return (
      <MobileShell title="电子会员证">
        <div data-testid="member-card" style={{ background: 'linear-gradient(135deg, #c8161d, #e8483f)', color: '#fff', borderRadius: 12, padding: 20, boxShadow: '0 4px 12px rgba(0,0,0,.15)' }}>
          <div style={{ fontSize: 13, opacity: 0.9 }}>中华全国总工会 · 会员服务卡</div>
          <div style={{ fontSize: 24, fontWeight: 600, margin: '12px 0 4px' }} data-testid="card-name">{card.name}</div>
          <div style={{ fontSize: 14 }}>{card.orgName}</div>
          <div style={{ fontSize: 13, opacity: 0.9, marginTop: 8 }}>会员编号 {card.memberNo} · 入会 {card.joinedOn}</div>
        </div>
        <Card size="small" style={{ marginTop: 12, textAlign: 'center' }}>
          <Image src={card.qr} width={220} preview={false} alt="会员证二维码" />
          <div><Typography.Text type="secondary">出示二维码供站点、商户核验 · {fmtDateTime(card.expiresAt)} 前有效，自动刷新</Typography.Text></div>
        </Card>
        <Button block style={{ marginTop: 12 }} onClick={() => { setCard(null); setQuery(null); navigate('/m/card', { replace: true }); }}>退出</Button>
      </MobileShell>
    );
  }
  return (
    <MobileShell title="电子会员证">
      <Card size="small">
        <Segmented block value={by} onChange={(v) => setBy(v as typeof by)} options={[{ value: 'application', label: '申请编号' }, { value: 'id', label: '证件号码' }]} style={{ marginBottom: 12 }} />
        <Form layout="vertical" onFinish={(v: CardQuery) => setQuery({ ...v })} initialValues={{ idType: 'resident_id' }}>
          {by === 'application'
            ? <Form.Item name="applicationNo" label="入会申请编号" rules={[{ required: true, message: '请填写' }]}><Input inputMode="numeric" maxLength={30} /></Form.Item>
            : (
              <>
                <Form.Item name="idType" label="证件类型"><Select options={idTypes.options} /></Form.Item>
                <Form.Item name="idNumber" label="证件号码" rules={[{ required: true, message: '请填写' }]}><Input maxLength={40} /></Form.Item>
              </>
            )}
          <Form.Item name="phone" label="登记的手机号" rules={[{ required: true, message: '请填写手机号' }]}><Input inputMode="tel" maxLength={20} /></Form.Item>
          <Button type="primary" htmlType="submit" block>查看会员证</Button>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </MobileShell>
  );
}

/** /m/verify?token=… — what a station or merchant sees after scanning a member card. */
export function VerifyPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const r = useQuery({ queryKey: ['verify', token], queryFn: () => verifyCard(token), enabled: token.length > 0 });
  return (
    <MobileShell title="会员证核验">
      {r.isPending && token ? <Spin /> : r.data?.valid
        ? <Result status="success" title="有效会员" subTitle={<span data-testid="verify-result">{r.data.name} · {r.data.orgName}</span>} />
        : <Result status="error" title="核验未通过" subTitle={<span data-testid="verify-result">{r.data?.reason ?? '二维码无效'}</span>} />}
    </MobileShell>
  );
}
