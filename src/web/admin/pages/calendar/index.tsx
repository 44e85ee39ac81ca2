import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, Form, Input, Modal, Radio, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { getCalendarDays, putCalendarDay, type CalendarDay } from '../../../api/index.js';

const pad = (n: number) => String(n).padStart(2, '0');
const WEEK = ['日', '一', '二', '三', '四', '五', '六'];

/** 节假日日历: State Council holidays and 调休 days (seeded); root admins override a day. */
export function CalendarPage() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const now = new Date(Date.now() + 8 * 3_600_000);
  const [year, setYear] = useState(now.getUTCFullYear());
  const [month, setMonth] = useState(now.getUTCMonth() + 1);
  const [editing, setEditing] = useState<CalendarDay | null>(null);
  const [form] = Form.useForm();
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const from = `${year}-${pad(month)}-01`;
  const to = `${year}-${pad(month)}-${pad(last)}`;
  const days = useQuery({ queryKey: ['calendar', from], queryFn: () => getCalendarDays(from, to) });
  const lead = new Date(`${from}T00:00:00Z`).getUTCDay();
  const cells: Array<CalendarDay | null> = [...Array.from({ length: lead }, () => null), ...(days.data ?? [])];

  const save = async () => {
    if (!editing) return;
    const v = await form.validateFields().catch(() => null) as { workday: boolean; name?: string } | null;
    if (!v) return; // the field errors show on the fields
    try {
      await putCalendarDay(editing.date, { workday: v.workday, name: v.name?.trim() || null });
      message.success('已保存，未办结工单的办理时限已重新计算');
      setEditing(null);
      await qc.invalidateQueries({ queryKey: ['calendar'] });
    } catch (e) {
      message.error(e instanceof Error ? e.message : '保存失败');
    }
  };

  return (
    <Card title="节假日日历" extra={
      <Space>
        <Select value={year} onChange={setYear} options={Array.from({ length: 6 }, (_, i) => now.getUTCFullYear() - 2 + i).map((y) => ({ value: y, label: `${y} 年` }))} />
        <Select value={month} onChange={setMonth} options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1} 月` }))} />
      </Space>
    }>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 6 }}>
        {WEEK.map((w) => <div key={w} style={{ textAlign: 'center', color: '#888' }}>{w}</div>)}
        {cells.map((d, i) => d === null ? <div key={`e${i}`} /> : (
          <div key={d.date} data-testid={`day-${d.date}`} onClick={() => { form.setFieldsValue({ workday: d.workday, name: d.name ?? '' }); setEditing(d); }}
            style={{ cursor: 'pointer', border: '1px solid #f0f0f0', borderRadius: 4, padding: 8, minHeight: 64, background: d.workday ? '#fff' : '#fff1f0' }}>
            <div style={{ fontWeight: 600 }}>{Number(d.date.slice(8))}</div>
            {d.name && <Tag color={d.workday ? 'blue' : 'red'} style={{ marginTop: 4, whiteSpace: 'normal' }}>{d.workday ? '班' : '休'} {d.name}</Tag>}
            {!d.name && !d.workday && <span style={{ color: '#cf1322', fontSize: 12 }}>休</span>}
          </div>
        ))}
      </div>
      <Modal title={`设置 ${editing?.date ?? ''}`} open={editing !== null} onCancel={() => setEditing(null)} onOk={() => void save()} okText="保存" cancelText="取消">
        <Form form={form} layout="vertical">
          <Form.Item name="workday" label="这一天"><Radio.Group options={[{ value: true, label: '工作日（含调休上班）' }, { value: false, label: '休息日（含法定节假日）' }]} /></Form.Item>
          <Form.Item name="name" label="名称（如：春节、国庆节调休上班）"><Input maxLength={50} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
