import { BellOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { listNotifications, readAllNotifications, readNotification, type Notice } from '../api/index.js';
import { fmtShort } from '../components/format.js';

/** Where a notice about an entity opens in the admin app; a module adds its entity here. */
const ENTITY_PAGES: Record<string, (id: number) => string> = {
  hotline_ticket: (id) => `/admin/hotline/tickets/${id}`,
  review_step: () => '/admin/reviews',
};

const KIND_LABELS: Record<string, string> = { overdue: '超期', supervise: '督办', review_pending: '待审核', review_overdue: '审核超期' };

/** The header's bell: the officer's unread count, the latest notices, open one (marks it read), read all. */
export function NotificationBell() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const inbox = useQuery({ queryKey: ['notifications'], queryFn: () => listNotifications({ limit: 10 }), refetchInterval: 60_000 });
  const refresh = () => qc.invalidateQueries({ queryKey: ['notifications'] });

  const openNotice = async (n: Notice) => {
    if (!n.read) await readNotification(n.id).catch(() => undefined);
    await refresh();
    setOpen(false);
    const page = ENTITY_PAGES[n.entityType];
    if (page) navigate(page(n.entityId));
  };

  const unread = inbox.data?.unreadCount ?? 0;
  const content = (
    <div style={{ width: 340 }} data-testid="notification-list">
      <List
        size="small"
        dataSource={inbox.data?.items ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无通知" /> }}
        renderItem={(n) => (
          <List.Item style={{ cursor: 'pointer', paddingInline: 4 }} onClick={() => void openNotice(n)} data-testid="notification-item">
            <List.Item.Meta
              avatar={<Badge dot={!n.read} offset={[-2, 4]}><span style={{ display: 'inline-block', width: 8 }} /></Badge>}
              title={<Typography.Text strong={!n.read} style={{ fontSize: 13 }}>{KIND_LABELS[n.kind] ? `【${KIND_LABELS[n.kind]}】` : ''}{n.message}</Typography.Text>}
              description={<span style={{ fontSize: 12 }}>{fmtShort(n.createdAt)}</span>}
            />
          </List.Item>
        )}
      />
    </div>
  );
  return (
    <Popover
      trigger="click"
      open={open}
      onOpenChange={setOpen}
      placement="bottomRight"
      title={
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <span>站内通知{unread ? `（${unread} 条未读）` : ''}</span>
          <Button size="small" type="link" disabled={unread === 0} onClick={async () => { await readAllNotifications(); await refresh(); }}>全部已读</Button>
        </div>
      }
      content={content}
    >
      <Badge count={unread} size="small" overflowCount={99}>
        <Button type="text" shape="circle" icon={<BellOutlined style={{ fontSize: 18 }} />} aria-label={`站内通知，${unread} 条未读`} data-testid="notification-bell" />
      </Badge>
    </Popover>
  );
}
