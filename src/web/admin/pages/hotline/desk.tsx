import { RegionPicker } from '../../../kit/RegionPicker.js';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Radio, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { DIFFICULTY_LABELS } from '../../../../common/hotline.js';
import { createTicket, getDict, type Ticket } from '../../../api/index.js';
import { applyServerError } from '../../../components/forms.js';
import { fmtDateTime } from '../../../components/format.js';

const pad = (n: number) => String(n).padStart(2, '0');
/** Now as a datetime-local value in Shanghai time. */
function nowLocal(): Dayjs {
  const d = new Date(Date.now() + 8 * 3_600_000);
  return dayjs(`${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`);
}

/** 热线受理: the agent desk. Fields follow the call; Enter moves on, Ctrl+Enter files the order. */
export function HotlineDeskPage() {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const categories = useQuery({ queryKey: ['dict', 'hotline_category'], queryFn: () => getDict('hotline_category') });
  const [last, setLast] = useState<Ticket | null>(null);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLDivElement>(null);

  const submit = async () => {
    // an empty required field shows its error on the field; nothing is sent
    const v = await form.validateFields().catch(() => null) as (Record<string, string | undefined> & { receivedAt?: Dayjs }) | null;
    if (!v) return;
    setSaving(true);
    try {
      const t = await createTicket({
        channel: 'phone',
        receivedAt: v.receivedAt ? `${v.receivedAt.format('YYYY-MM-DDTHH:mm')}:00+08:00` : undefined,
        caller: { name: v.callerName, phone: v.phone, ...(v.idNumber ? { idNumber: v.idNumber } : {}) },
        category: v.category, content: v.content, regionCode: v.regionCode, difficulty: v.difficulty,
        ...(v.employerName ? { employer: { name: v.employerName, ...(v.creditCode ? { creditCode: v.creditCode } : {}) } } : {}),
      });
      setLast(t);
      message.success(`已受理，工单号 ${t.ticketNo}`);
      form.resetFields();
      form.setFieldsValue({ receivedAt: nowLocal(), difficulty: 'general' });
      formRef.current?.querySelector('input')?.focus();
    } catch (e) {
      const msg = applyServerError(form, e);
      if (msg) message.error(msg);
    } finally {
      setSaving(false);
    }
  };

  // Enter jumps to the next field (not in the text area); Ctrl+Enter files the order.
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void submit(); return; }
    const el = e.target as HTMLElement;
    if (e.key === 'Enter' && el.tagName === 'INPUT' && !el.closest('.ant-select')) {
      e.preventDefault();
      const inputs = [...(formRef.current?.querySelectorAll<HTMLElement>('input:not([type=radio]), textarea') ?? [])];
      inputs[inputs.indexOf(el) + 1]?.focus();
    }
  };

  return (
    <Card title="12351 热线受理" extra={<span style={{ color: '#888' }}>回车跳到下一项，Ctrl+Enter 提交</span>}>
      {last && (
        <Alert type="success" showIcon style={{ marginBottom: 16 }}
          title={<span>已受理工单 <Link to={`/admin/hotline/tickets/${last.id}`}>{last.ticketNo}</Link>，办理时限 {fmtDateTime(last.deadline)}</span>} />
      )}
      <div ref={formRef} onKeyDown={onKeyDown}>
        <Form form={form} layout="vertical" initialValues={{ receivedAt: nowLocal(), difficulty: 'general' }}>
          <Row gutter={16}>
            <Col xs={24} md={8}><Form.Item name="phone" label="来电号码" rules={[{ required: true, message: '请填写来电号码' }]}><Input autoFocus maxLength={20} /></Form.Item></Col>
            <Col xs={24} md={8}><Form.Item name="callerName" label="来电人姓名" rules={[{ required: true, message: '请填写姓名' }]}><Input maxLength={50} /></Form.Item></Col>
            <Col xs={24} md={8}><Form.Item name="idNumber" label="身份证号（可不填）"><Input maxLength={24} /></Form.Item></Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="category" label="诉求类别" rules={[{ required: true, message: '请选择类别' }]}>
                <Select showSearch={{ optionFilterProp: 'label' }} options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.label }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}><Form.Item name="regionCode" label="所在地区" rules={[{ required: true, message: '请选择所在地区' }]}><RegionPicker testId="region-picker" /></Form.Item></Col>
            <Col xs={24} md={8}><Form.Item name="receivedAt" label="来电时间" rules={[{ required: true, message: '请选择来电时间' }]}><DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs().endOf('day'))} /></Form.Item></Col>
          </Row>
          <Form.Item name="difficulty" label="难度" rules={[{ required: true }]}>
            <Radio.Group options={Object.entries(DIFFICULTY_LABELS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={12}><Form.Item name="employerName" label="用人单位（可不填）"><Input maxLength={100} /></Form.Item></Col>
            <Col xs={24} md={12}><Form.Item name="creditCode" label="单位统一社会信用代码（可不填）"><Input maxLength={40} /></Form.Item></Col>
          </Row>
          <Form.Item name="content" label="诉求内容" rules={[{ required: true, message: '请记录诉求内容' }, { min: 2, message: '至少 2 个字' }]}>
            <Input.TextArea rows={4} maxLength={5000} showCount />
          </Form.Item>
          <Button type="primary" loading={saving} onClick={() => void submit()}>受理并生成工单</Button>
        </Form>
      </div>
    </Card>
  );
}
