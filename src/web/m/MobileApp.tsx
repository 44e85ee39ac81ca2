import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Radio, Result, Select, Steps, Typography } from 'antd';
import { useState } from 'react';
import { Link, Route, Routes, useSearchParams } from 'react-router';
import { SATISFACTION_LABELS } from '../../common/hotline.js';
import { ApiError } from '../api/client.js';
import { evaluatePublic, getDict, lookupTicket, submitRequest, type LookupResult } from '../api/index.js';
import { applyServerError } from '../components/forms.js';
import { fmtDateTime } from '../components/format.js';
import { CardPage, JoinPage, JoinStatusPage, VerifyPage } from './members.js';
import { MePage } from './me.js';
import { RegionPicker } from '../kit/RegionPicker.js';
import { PublicityPage } from './publicity.js';
import { MobileShell } from './shell.js';
import { PublicLookupForm, usePublicLookup } from '../kit/PublicLookup.js';


/** /m/hotline — a worker raises a request (维权诉求) online. */
function HotlineRequestPage() {
  const [form] = Form.useForm();
  const categories = useQuery({ queryKey: ['dict', 'hotline_category'], queryFn: () => getDict('hotline_category') });
  const [done, setDone] = useState<{ ticketNo: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: Record<string, string | undefined>) => {
    setError(null);
    try {
      const r = await submitRequest({
        caller: { name: v.name, phone: v.phone }, category: v.category, content: v.content, regionCode: v.regionCode, channel: 'mobile',
        ...(v.employerName ? { employer: { name: v.employerName } } : {}),
      });
      setDone({ ticketNo: r.ticketNo });
    } catch (e) {
      setError(applyServerError(form, e));
    }
  };
  if (done) {
    return (
      <MobileShell title="12351 职工维权服务">
        <Result status="success" title="诉求已受理" subTitle={<span>工单号 <Typography.Text copyable strong data-testid="ticket-no">{done.ticketNo}</Typography.Text>，请凭工单号和手机号查询进度</span>}
          extra={<Link to={`/m/hotline/lookup?ticketNo=${done.ticketNo}`}><Button type="primary">查询进度</Button></Link>} />
      </MobileShell>
    );
  }
  return (
    <MobileShell title="12351 职工维权服务">
      <Card size="small">
        <Typography.Paragraph type="secondary">一般问题当天办结，难点问题 5 个工作日内办完，特别复杂问题 15 天内研究解决。</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}><Input maxLength={50} /></Form.Item>
          <Form.Item name="phone" label="手机号" rules={[{ required: true, message: '请填写手机号' }]}><Input inputMode="tel" maxLength={20} /></Form.Item>
          <Form.Item name="category" label="诉求类别" rules={[{ required: true, message: '请选择' }]}>
            <Select options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.label }))} />
          </Form.Item>
          <Form.Item name="regionCode" label="工作所在地区" extra="诉求由当地工会受理" rules={[{ required: true, message: '请选择所在地区' }]}><RegionPicker testId="region-picker" /></Form.Item>
          <Form.Item name="employerName" label="工作单位（可不填）"><Input maxLength={100} /></Form.Item>
          <Form.Item name="content" label="诉求内容" rules={[{ required: true, min: 5, message: '请至少写 5 个字' }]}><Input.TextArea rows={4} maxLength={2000} showCount /></Form.Item>
          <Button type="primary" htmlType="submit" block size="large">提交诉求</Button>
        </Form>
        <div style={{ marginTop: 12, textAlign: 'center' }}><Link to="/m/hotline/lookup">已提交？查询进度</Link></div>
      </Card>
    </MobileShell>
  );
}

const STEP_ORDER = ['accepted', 'dispatched', 'signed', 'resolved', 'evaluated'];

/** /m/hotline/lookup — progress by ticket number + phone, and the caller's rating. */
function HotlineLookupPage() {
  const [params] = useSearchParams();
  const { result, setResult, error, setError, find } = usePublicLookup<LookupResult>(lookupTicket);
  const [rating, setRating] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [ratingError, setRatingError] = useState<string | null>(null);
  const rate = async () => {
    if (!result) return;
    if (!rating) { setRatingError('请选择满意程度'); return; }
    setRatingError(null);
    try {
      setResult({ ...result, r: await evaluatePublic({ ticketNo: result.r.ticketNo, phone: result.phone, satisfaction: rating, ...(comment.trim() ? { comment: comment.trim() } : {}) }) });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '网络错误');
    }
  };
  const current = result ? Math.max(0, STEP_ORDER.indexOf(result.r.status === 'returned' ? 'dispatched' : result.r.status === 'closed' ? 'evaluated' : result.r.status)) : 0;
  return (
    <MobileShell title="查询诉求办理进度">
      <PublicLookupForm numberLabel="工单号" phoneLabel="提交时的手机号" maxLength={20} initialNumber={params.get('ticketNo')} onFind={find} error={error} />
      {result && (
        <Card size="small" style={{ marginTop: 12 }} title={<span>工单 {result.r.ticketNo}：<span data-testid="lookup-status">{result.r.statusLabel}</span></span>}>
          <Steps orientation="vertical" size="small" current={current} status={result.r.status === 'evaluated' || result.r.status === 'closed' ? 'finish' : 'process'} items={['已受理', '已交办', '已签收', '已办结', '已评价'].map((title) => ({ title }))} />
          <p>办理时限：{fmtDateTime(result.r.deadline)}</p>
          {result.r.result && <p>办理结果：{result.r.result}</p>}
          {result.r.satisfaction && <p>您的评价：{SATISFACTION_LABELS[result.r.satisfaction]}</p>}
          {result.r.canEvaluate && (
            <div>
              <Typography.Text strong>您对办理结果满意吗？</Typography.Text>
              <div style={{ marginTop: 8 }}>
                <Radio.Group value={rating} onChange={(e) => { setRating(e.target.value as string); setRatingError(null); }} options={Object.entries(SATISFACTION_LABELS).map(([value, label]) => ({ value, label }))} />
              </div>
              {ratingError && <Typography.Text type="danger" style={{ display: 'block', marginTop: 4 }}>{ratingError}</Typography.Text>}
              <Input.TextArea rows={3} maxLength={500} showCount value={comment} onChange={(e) => setComment(e.target.value)} placeholder="意见或建议（选填）" style={{ marginTop: 10 }} aria-label="评价意见" />
              <Button type="primary" block style={{ marginTop: 12 }} onClick={() => void rate()}>提交评价</Button>
            </div>
          )}
        </Card>
      )}
    </MobileShell>
  );
}

export function MobileApp() {
  return (
    <Routes>
      <Route path="hotline" element={<HotlineRequestPage />} />
      <Route path="hotline/lookup" element={<HotlineLookupPage />} />
      <Route path="join" element={<JoinPage />} />
      <Route path="join/status" element={<JoinStatusPage />} />
      <Route path="card" element={<CardPage />} />
      <Route path="me" element={<MePage />} />
      <Route path="publicity" element={<PublicityPage />} />
      <Route path="verify" element={<VerifyPage />} />
      <Route path="*" element={<MobileShell title="智慧工会"><Result status="404" title="页面不存在" extra={<Link to="/m/hotline">12351 维权服务</Link>} /></MobileShell>} />
    </Routes>
  );
}
