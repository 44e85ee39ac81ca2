import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Form, Input, Result, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { formatFen } from '../../common/money.js';
import { objectToNotice, publicNotices, type PublicNotice } from '../api/index.js';
import { applyServerError } from '../components/forms.js';
import { MobileShell } from './shell.js';

/** /m/publicity?org= — 公示: a union's notices (names masked) and the objection form while a window runs. */
export function PublicityPage() {
  const [params] = useSearchParams();
  const orgId = Number(params.get('org'));
  const notices = useQuery({ queryKey: ['publicity', orgId], queryFn: () => publicNotices(orgId), enabled: Number.isInteger(orgId) && orgId > 0 });
  const [objecting, setObjecting] = useState<PublicNotice | null>(null);
  if (!Number.isInteger(orgId) || orgId <= 0) return <MobileShell title="公示"><Result status="404" title="请从工会的公示链接进入" /></MobileShell>;
  if (objecting) return <ObjectionForm notice={objecting} onBack={() => setObjecting(null)} />;
  return (
    <MobileShell title="公示">
      {notices.isPending ? <Spin style={{ display: 'block', margin: 40 }} />
        : notices.isError ? <Alert type="error" showIcon title="公示加载失败，请稍后再试" />
        : notices.data.items.length === 0 ? <Card size="small"><Empty description="暂无公示" /></Card>
        : notices.data.items.map((n) => (
          <Card key={n.id} size="small" style={{ marginBottom: 12 }} data-testid={`notice-${n.id}`}
            title={<span style={{ whiteSpace: 'normal' }}>{n.title}</span>}
            extra={n.running ? <Tag color="red">公示中</Tag> : <Tag>已结束</Tag>}>
            <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
              {n.orgName} · 公示期 {n.startsOn} 至 {n.endsOn}（{n.workingDays} 个工作日）
            </Typography.Paragraph>
            <Table size="small" pagination={false} rowKey={(_, i) => String(i)} dataSource={n.items}
              columns={[
                { title: '姓名', dataIndex: 'name', width: 70 },
                { title: '单位', dataIndex: 'unit' },
                { title: '项目', dataIndex: 'item', width: 90 },
                { title: '金额', dataIndex: 'amountFen', width: 90, align: 'right' as const, render: (v: number | null) => (v === null ? '—' : formatFen(v)) },
              ]} />
            {n.running && (
              <>
                <Typography.Paragraph style={{ fontSize: 13, marginTop: 10 }}>如有异议，请在公示期内实名提出，工会将核实处理并与您联系。</Typography.Paragraph>
                <Button block onClick={() => setObjecting(n)} data-testid={`object-${n.id}`}>提出异议</Button>
              </>
            )}
          </Card>
        ))}
    </MobileShell>
  );
}

function ObjectionForm({ notice, onBack }: { notice: PublicNotice; onBack: () => void }) {
  const [form] = Form.useForm();
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { content: string; contactName?: string; contactPhone: string }) => {
    setError(null);
    try { setDone((await objectToNotice(notice.id, v)).message); } catch (e) { setError(applyServerError(form, e)); }
  };
  if (done) return <MobileShell title="公示异议"><Result status="success" title="异议已提交" subTitle={done} extra={<Button onClick={onBack}>返回公示</Button>} /></MobileShell>;
  return (
    <MobileShell title="公示异议">
      <Card size="small" title={<span style={{ whiteSpace: 'normal' }}>{notice.title}</span>}>
        <Form form={form} layout="vertical" onFinish={(v: { content: string; contactName?: string; contactPhone: string }) => void submit(v)}>
          <Form.Item name="content" label="异议内容" rules={[{ required: true, message: '请写明异议内容' }, { min: 5, message: '请写明异议内容（至少 5 个字）' }]}>
            <Input.TextArea rows={5} maxLength={2000} showCount placeholder="请写明对哪一位、哪一项有异议及事实依据" />
          </Form.Item>
          <Form.Item name="contactName" label="您的姓名"><Input maxLength={50} /></Form.Item>
          <Form.Item name="contactPhone" label="联系电话" extra="仅用于工会核实时与您联系，加密保存" rules={[{ required: true, message: '请填写联系电话' }]}><Input inputMode="tel" maxLength={20} /></Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <Button type="primary" htmlType="submit" block>提交异议</Button>
          <Button block style={{ marginTop: 8 }} onClick={onBack}>返回</Button>
        </Form>
      </Card>
    </MobileShell>
  );
}
