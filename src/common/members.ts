/** Labels of member states, channels and transfer states shared by server and web. */
export const MEMBER_STATUS_LABELS: Record<string, string> = {
  active: '在会', retained: '保留会籍', transferred: '已转出', expelled: '已除名', withdrawn: '已退会',
};
export const MEMBER_STATUS_COLORS: Record<string, string> = { active: 'green', retained: 'gold', transferred: 'default', expelled: 'red', withdrawn: 'default' };
export const JOIN_CHANNEL_LABELS: Record<string, string> = {
  window: '流动窗口入会', online: '网上申请入会', qr: '扫码入会', roster: '集体登记入会', transfer: '转会转入',
};
export const APPLICATION_STATUS_LABELS: Record<string, string> = { pending: '待审核', approved: '已通过', rejected: '未通过' };
export const TRANSFER_STATUS_LABELS: Record<string, string> = { requested: '待原工会同意', released: '待新工会接收', accepted: '已转入', rejected: '未同意' };
export const LEAVE_LABELS: Record<string, string> = { retain: '保留会籍', expel: '除名', withdraw: '退会' };
export const GENDER_LABELS: Record<string, string> = { male: '男', female: '女' };
