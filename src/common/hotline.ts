/** Labels of the hotline's enumerations (热线工单). */
import { labelsOf, TICKET_STATUS } from './status.js';

export const TICKET_STATUS_LABELS: Record<string, string> = labelsOf(TICKET_STATUS);
export const DIFFICULTY_LABELS: Record<string, string> = { general: '一般（当天办结）', difficult: '难点（5 个工作日）', complex: '特别复杂（15 天）' };
export const SATISFACTION_LABELS: Record<string, string> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };
export const TICKET_ACTION_LABELS: Record<string, string> = {
  accept: '受理', dispatch: '交办', sign: '签收', return: '退回', resolve: '办结', evaluate: '评价', close: '归档', reopen: '重新办理',
  supervise: '督办', overdue: '超期', update: '修改',
};
export const CHANNEL_LABELS: Record<string, string> = { phone: '来电', web: '网站', mobile: '手机' };

/** Kinds of a ticket's files (附件类别); the sensitive ones are sealed at rest and each download is audited. */
export const TICKET_FILE_KINDS = {
  evidence: { label: '证据材料', sensitive: false },
  id_copy: { label: '身份证件', sensitive: true },
  recording: { label: '通话录音', sensitive: true },
} as const;
