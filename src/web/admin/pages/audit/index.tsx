import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { listAudit, type AuditItem } from '../../../api/index.js';
import { fmtDateTime } from '../../../components/format.js';

const ACTION_LABELS: Record<string, string> = {
  'org.create': '新建工会', 'org.update': '修改工会', 'org.move': '移动工会',
  'user.create': '新建账号', 'user.update': '修改账号', 'user.role.grant': '授予角色', 'user.role.revoke': '撤销角色',
  'user.locked': '账号锁定', 'auth.throttled': '登录受限', 'auth.login': '登录', 'dictionary.put': '修改字典', 'system.bootstrap': '系统初始化',
};

/** 审计日志: every write in the caller's subtree, newest first. */
export function AuditPage() {
  const [action, setAction] = useState<string | undefined>();
  const audit = useInfiniteQuery({
    queryKey: ['audit', action],
    queryFn: ({ pageParam }) => listAudit({ action, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const rows = audit.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card
      title="审计日志"
      extra={<Select allowClear placeholder="操作类型" style={{ width: 180 }} value={action} onChange={setAction} options={Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }))} />}
    >
      <Table<AuditItem>
        rowKey="id" size="small" loading={audit.isFetching} dataSource={rows} pagination={false}
        expandable={{ expandedRowRender: (r) => <Typography.Paragraph code copyable style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify({ before: r.before, after: r.after, requestId: r.requestId }, null, 2)}</Typography.Paragraph> }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 180, render: (t: string) => fmtDateTime(t) },
          { title: '操作人', dataIndex: 'actorName', width: 140 },
          { title: '操作', dataIndex: 'action', width: 120, render: (a: string) => ACTION_LABELS[a] ?? a },
          { title: '对象', key: 'entity', render: (_, r) => `${r.entityType} #${r.entityId ?? ''}` },
        ]}
      />
      {audit.hasNextPage && <Button style={{ marginTop: 12 }} onClick={() => void audit.fetchNextPage()}>加载更多</Button>}
    </Card>
  );
}
