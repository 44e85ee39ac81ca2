import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Input, Progress, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { downloadRevealedRoster, listImports, uploadRoster, type ImportJob } from '../../../api/index.js';
import { fmtShort } from '../../../components/format.js';
import { OrgSelect } from '../../../components/OrgSelect.js';
import { IMPORT_STATUS } from '../../../../common/status.js';
import { can, useMe } from '../../../kit/me.js';
import { StatusTag } from '../../../kit/StatusTag.js';


/** 名册导入导出: template, upload (.xlsx/.csv) with a progress bar per job, error workbook, export. */
export function ImportsPage() {
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [orgId, setOrgId] = useState<number | undefined>();
  const [reveal, setReveal] = useState(false);
  const [reason, setReason] = useState('');
  const [exporting, setExporting] = useState(false);
  const exportRevealed = async () => {
    if (!orgId) return;
    if (reason.trim().length < 2) { message.warning('导出完整名册须填写事由'); return; }
    setExporting(true);
    try {
      await downloadRevealedRoster(orgId, reason.trim());
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setExporting(false);
    }
  };
  const [uploading, setUploading] = useState(false);
  const jobs = useQuery({
    queryKey: ['imports'], queryFn: listImports,
    refetchInterval: (q) => ((q.state.data ?? []).some((j) => j.status === 'queued' || j.status === 'running') ? 1000 : false),
  });
  const upload = async (file: File) => {
    if (!orgId) { message.warning('请先选择导入到哪个工会'); return; }
    setUploading(true);
    try {
      await uploadRoster(orgId, file);
      message.success('已上传，正在后台导入');
      await qc.invalidateQueries({ queryKey: ['imports'] });
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setUploading(false);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card title="集体登记入会（名册导入）">
        <Space wrap>
          <OrgSelect value={orgId} onChange={setOrgId} style={{ width: 320 }} placeholder="导入到 / 导出哪个工会" testId="import-org" />
          <Button icon={<DownloadOutlined />} href="/api/imports/members/template">下载名册模板</Button>
          <Upload accept=".xlsx,.csv" showUploadList={false} beforeUpload={(f) => { void upload(f); return false; }} disabled={!orgId || uploading}>
            <Button type="primary" icon={<UploadOutlined />} loading={uploading} disabled={!orgId} data-testid="upload-roster">上传名册（.xlsx / .csv）</Button>
          </Upload>
          {reveal
            ? <Button icon={<DownloadOutlined />} disabled={!orgId} loading={exporting} onClick={() => void exportRevealed()} data-testid="export-revealed">导出完整名册</Button>
            : <Button icon={<DownloadOutlined />} disabled={!orgId} href={orgId ? `/api/exports/members?orgId=${orgId}` : undefined}>导出会员名册</Button>}
          {can(me, 'member.reveal') && <Checkbox checked={reveal} onChange={(e) => setReveal(e.target.checked)}>导出完整证件号和手机号（记入审计）</Checkbox>}
          {reveal && <Input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="导出事由（必填，记入审计）" maxLength={200} style={{ width: 240 }} data-testid="export-reason" />}
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          每个文件最多 100 万行，后台分批导入，可关闭页面。错误行不影响正确行入会，可下载错误清单修改后重新导入；同一文件重复导入不会重复入会。
        </Typography.Paragraph>
      </Card>
      <Card title="导入任务">
        {jobs.isError && <Alert type="error" showIcon title={(jobs.error as Error).message} />}
        <Table<ImportJob>
          rowKey="jobId" size="middle" dataSource={jobs.data ?? []} pagination={false}
          columns={[
            { title: '文件', dataIndex: 'fileName', ellipsis: true },
            { title: '上传时间', dataIndex: 'createdAt', width: 110, render: (v: string) => fmtShort(v) },
            { title: '状态', dataIndex: 'status', width: 90, render: (s: ImportJob['status']) => <StatusTag map={IMPORT_STATUS} value={s} /> },
            {
              title: '进度', key: 'progress', width: 260, render: (_, j) => (
                <div data-testid={`job-${j.jobId}`}>
                  <Progress percent={Math.round(j.progress * 100)} size="small" status={j.status === 'failed' ? 'exception' : j.status === 'done' ? 'success' : 'active'} />
                  <Typography.Text type="secondary">{j.status === 'done' ? `共 ${j.total} 行` : `已处理至第 ${j.processed} 行`}</Typography.Text>
                </div>
              ),
            },
            { title: '新入会', dataIndex: 'inserted', width: 80 },
            { title: '更新', dataIndex: 'updated', width: 70 },
            { title: '未变', dataIndex: 'skipped', width: 70 },
            {
              title: '错误行', key: 'errors', width: 140, render: (_, j) => (j.failure ? <Typography.Text type="danger">{j.failure}</Typography.Text>
                : j.errorCount > 0 ? <a href={`/api/imports/${j.jobId}/errors.xlsx`} data-testid={`errors-${j.jobId}`}>{j.errorCount} 行，下载</a> : 0),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
