import { Card, Select, Typography } from 'antd';
import { useState } from 'react';
import { listAudit, type AuditItem } from '../../../api/index.js';
import { fmtDateTime } from '../../../components/format.js';
import { CursorTable, useCursorList } from '../../../kit/CursorTable.js';
import { AUDIT_ACTIONS, auditActionLabel } from '../../../../common/audit.js';


/** 审计日志: every write in the caller's subtree, newest first. */
export function AuditPage() {
  const [action, setAction] = useState<string | undefined>();
  const audit = useCursorList(['audit', action], (cursor) => listAudit({ action, cursor, limit: 50 }));
  return (
    <Card
      title="审计日志"
      extra={<Select allowClear placeholder="操作类型" style={{ width: 180 }} value={action} onChange={setAction} showSearch optionFilterProp="label" options={Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label }))} />}
    >
      <CursorTable<AuditItem>
        list={audit} rowKey="id" size="small"
        expandable={{ expandedRowRender: (r) => <Typography.Paragraph code copyable style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify({ before: r.before, after: r.after, requestId: r.requestId }, null, 2)}</Typography.Paragraph> }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 180, render: (t: string) => fmtDateTime(t) },
          { title: '操作人', dataIndex: 'actorName', width: 140 },
          { title: '操作', dataIndex: 'action', width: 120, render: (a: string) => auditActionLabel(a) },
          { title: '对象', key: 'entity', render: (_, r) => `${r.entityType} #${r.entityId ?? ''}` },
        ]}
      />
    </Card>
  );
}
