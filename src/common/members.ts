/** Labels of member states, channels and transfer states shared by server and web. */
import { APPLICATION_STATUS, labelsOf, MEMBER_STATUS, TRANSFER_STATUS } from './status.js';

export const MEMBER_STATUS_LABELS: Record<string, string> = labelsOf(MEMBER_STATUS);
export const JOIN_CHANNEL_LABELS: Record<string, string> = {
  window: '流动窗口入会', online: '网上申请入会', qr: '扫码入会', roster: '集体登记入会', transfer: '转会转入',
};
export const APPLICATION_STATUS_LABELS: Record<string, string> = labelsOf(APPLICATION_STATUS);
export const TRANSFER_STATUS_LABELS: Record<string, string> = labelsOf(TRANSFER_STATUS);
export const LEAVE_LABELS: Record<string, string> = { retain: '保留会籍', expel: '除名', withdraw: '退会' };
export const GENDER_LABELS: Record<string, string> = { male: '男', female: '女' };
