/**
 * How each status of each entity is shown: a Chinese label and a tag colour (antd preset or status
 * names). One map per enum, used by the server (labels in answers and exports) and the web
 * (StatusTag), so a status reads the same everywhere.
 */
export interface StatusStyle { label: string; color: string }
export type StatusMap = Readonly<Record<string, StatusStyle>>;

export const MEMBER_STATUS: StatusMap = {
  active: { label: '在会', color: 'green' }, retained: { label: '保留会籍', color: 'gold' }, transferred: { label: '已转出', color: 'default' },
  expelled: { label: '已除名', color: 'red' }, withdrawn: { label: '已退会', color: 'default' },
};
export const APPLICATION_STATUS: StatusMap = {
  pending: { label: '待审核', color: 'blue' }, approved: { label: '已通过', color: 'green' }, rejected: { label: '未通过', color: 'default' },
};
export const TRANSFER_STATUS: StatusMap = {
  requested: { label: '待原工会同意', color: 'blue' }, released: { label: '待新工会接收', color: 'blue' },
  accepted: { label: '已转入', color: 'green' }, rejected: { label: '未同意', color: 'default' },
};
export const TICKET_STATUS: StatusMap = {
  accepted: { label: '已受理', color: 'blue' }, dispatched: { label: '已交办', color: 'blue' }, signed: { label: '已签收', color: 'cyan' },
  returned: { label: '已退回', color: 'orange' }, resolved: { label: '已办结', color: 'green' }, evaluated: { label: '已评价', color: 'green' },
  closed: { label: '已归档', color: 'default' },
};
export const REVIEW_STEP_STATUS: StatusMap = {
  pending: { label: '待审核', color: 'blue' }, approved: { label: '审核通过', color: 'green' }, returned: { label: '退回补正', color: 'orange' },
  rejected: { label: '驳回', color: 'red' }, handed_over: { label: '已转办', color: 'default' }, withdrawn: { label: '已撤回', color: 'default' },
};
export const IMPORT_STATUS: StatusMap = {
  queued: { label: '排队中', color: 'default' }, running: { label: '导入中', color: 'processing' }, done: { label: '已完成', color: 'success' }, failed: { label: '失败', color: 'error' },
};

/** The labels alone (`{ active: '在会', … }`), for selects and exports. */
export function labelsOf(map: StatusMap): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v.label]));
}
