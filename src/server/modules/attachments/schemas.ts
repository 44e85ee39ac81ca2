import { Type } from 'typebox';

// ---- attachments 附件 ----
export const Attachment = Type.Object({
  id: Type.Integer(), name: Type.String(), size: Type.Integer(), contentType: Type.String({ description: '按文件内容识别的类型' }),
  sha256: Type.String(), kind: Type.String(), kindLabel: Type.String(), sensitive: Type.Boolean({ description: '敏感材料：加密存储，每次下载记入审计' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export const AttachmentParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }) });
