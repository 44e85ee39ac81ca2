import { LockOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Select, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { listAttachments, uploadAttachment, type AttachmentItem } from '../api/index.js';
import { fmtShort } from '../components/format.js';

/** 1536 → "1.5 KB". */
export function fmtSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const ACCEPT = '.jpg,.jpeg,.png,.webp,.heic,.pdf,.docx,.xlsx,.mp3,.m4a,.wav,.amr,.mp4';

/**
 * The files of one entity (附件): a list with download links and, for who may add files, a kind
 * and an upload button. The server decides the type from the content; sensitive kinds are marked
 * with a lock (sealed at rest, every download audited).
 */
export function AttachmentsCard({ entityUrl, kinds, canUpload }: { entityUrl: string; kinds: ReadonlyArray<{ value: string; label: string }>; canUpload: boolean }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [kind, setKind] = useState(kinds[0]?.value ?? '');
  const [busy, setBusy] = useState(false);
  const files = useQuery({ queryKey: ['attachments', entityUrl], queryFn: () => listAttachments(entityUrl) });

  const send = async (file: File) => {
    setBusy(true);
    try {
      await uploadAttachment(entityUrl, kind, file);
      message.success(`已上传 ${file.name}`);
      await qc.invalidateQueries({ queryKey: ['attachments', entityUrl] });
    } catch (e) {
      message.error(e instanceof Error ? e.message : '上传失败');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={<span><PaperClipOutlined /> 附件</span>}
      size="small"
      extra={canUpload && (
        <Space>
          <Select size="small" value={kind} onChange={setKind} options={[...kinds]} style={{ width: 120 }} aria-label="附件类别" />
          <Upload accept={ACCEPT} showUploadList={false} beforeUpload={(f) => { void send(f); return false; }}>
            <Button size="small" icon={<UploadOutlined />} loading={busy} data-testid="attachment-upload">上传</Button>
          </Upload>
        </Space>
      )}
    >
      <Table<AttachmentItem>
        size="small"
        rowKey="id"
        pagination={false}
        loading={files.isPending}
        dataSource={files.data ?? []}
        locale={{ emptyText: '暂无附件' }}
        columns={[
          { title: '文件', dataIndex: 'name', render: (name: string, a) => <a href={`/api/attachments/${a.id}`} download={name} data-testid="attachment-link">{name}</a> },
          { title: '类别', dataIndex: 'kindLabel', width: 140, render: (label: string, a) => (a.sensitive ? <Tag icon={<LockOutlined />} color="gold">{label}</Tag> : <Tag>{label}</Tag>) },
          { title: '大小', dataIndex: 'size', width: 100, render: (n: number) => fmtSize(n) },
          { title: '上传时间', dataIndex: 'createdAt', width: 130, render: (iso: string) => fmtShort(iso) },
        ]}
      />
    </Card>
  );
}
