import { Card, Segmented, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { TICKET_STATUS_LABELS } from '../../../../common/hotline.js';
import { listTickets, type Ticket } from '../../../api/index.js';
import { fmtShort } from '../../../components/format.js';
import { CursorTable, useCursorList } from '../../../kit/CursorTable.js';

/** Red when overdue, amber when due within 24 hours. */
export function DeadlineTag({ t }: { t: Ticket }) {
  const text = fmtShort(t.deadline);
  const open = ['accepted', 'dispatched', 'signed', 'returned'].includes(t.status);
  if (open && t.overdue) return <Tag color="red" data-testid="deadline-overdue">已超期 {text}</Tag>;
  if (open && new Date(t.deadline).getTime() - Date.now() < 24 * 3_600_000) return <Tag color="orange">即将到期 {text}</Tag>;
  return <Tag>{text}</Tag>;
}

/** 工单办理 (handling queue) and 督办 (supervision view): most urgent first. */
export function TicketQueuePage({ supervision = false }: { supervision?: boolean }) {
  const navigate = useNavigate();
  const [filter, setFilter] = useState<'open' | 'overdue' | 'all'>('open');
  const q = useCursorList(['tickets', supervision, filter], (cursor) => listTickets({ supervision: supervision || undefined, open: filter === 'open' || undefined, overdue: filter === 'overdue' || undefined, cursor, limit: 50 }), { refetchInterval: 60_000 });
  return (
    <Card
      title={supervision ? '督办：下级工会承办的工单' : '工单办理'}
      extra={<Segmented value={filter} onChange={(v) => setFilter(v as typeof filter)} options={[{ value: 'open', label: '办理中' }, { value: 'overdue', label: '已超期' }, { value: 'all', label: '全部' }]} />}
    >
      <CursorTable<Ticket>
        list={q} rowKey="id" size="middle"
        onRow={(r) => ({ onClick: () => navigate(`/admin/hotline/tickets/${r.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: '工单号', dataIndex: 'ticketNo', width: 160 },
          { title: '办理时限', key: 'deadline', width: 190, render: (_, t) => <DeadlineTag t={t} /> },
          { title: '状态', dataIndex: 'status', width: 100, render: (s: string, t) => <>{TICKET_STATUS_LABELS[s]}{t.supervised && <Tag color="purple" style={{ marginLeft: 4 }}>督办</Tag>}</> },
          { title: '承办工会', dataIndex: 'handlingOrgName' },
          { title: '来电人', key: 'caller', width: 150, render: (_, t) => `${t.callerName} ${t.maskedPhone}` },
          { title: '诉求', dataIndex: 'content', ellipsis: true },
        ]}
      />
    </Card>
  );
}
