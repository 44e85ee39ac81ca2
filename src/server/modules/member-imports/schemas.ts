import { Type } from 'typebox';

// ---- imports 名册导入 ----
export const ImportJob = Type.Object({
  jobId: Type.Integer(), orgId: Type.Integer(), fileName: Type.String(),
  status: Type.Enum(['queued', 'running', 'done', 'failed']),
  total: Type.Integer({ description: '文件中的数据行数（不含表头和空行）' }), processed: Type.Integer(), inserted: Type.Integer(), updated: Type.Integer(),
  skipped: Type.Integer(), errorCount: Type.Integer(), progress: Type.Number({ description: '0–1：已处理行数 / 总行数（开始时先快速数一遍行数）' }),
  failure: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), finishedAt: Type.Union([Type.String(), Type.Null()]),
});
