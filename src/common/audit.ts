/**
 * The audit action catalog (审计操作): every action the server records, with its Chinese label.
 * `recordAudit` accepts only these (a new action is added here first), and the audit page shows
 * the labels. Codes are stored in the log: never rename one.
 */
export const AUDIT_ACTIONS = {
  'system.bootstrap': '系统初始化',
  'auth.login': '登录',
  'auth.throttled': '登录受限（密码错误次数过多）',
  'auth.password.change': '修改本人密码',
  'user.create': '新建账号',
  'user.password.reset': '重置密码',
  'user.update': '修改账号',
  'user.role.grant': '授予角色',
  'user.role.revoke': '撤销角色',
  'org.create': '新建工会',
  'org.update': '修改工会',
  'org.move': '调整隶属关系',
  'dictionary.put': '修改字典',
  'calendar.set': '调整节假日',
  'member.join': '入会',
  'member.update': '修改会员资料',
  'member.reveal': '查看完整证件号或手机号',
  'member.retain': '保留会籍',
  'member.expel': '除名',
  'member.withdraw': '退会',
  'member.export': '导出会员名册',
  'member.import': '上传会员名册',
  'member.import.done': '名册导入完成',
  'join.submit': '提交入会申请',
  'join.approve': '入会申请审核通过',
  'join.reject': '入会申请未通过',
  'join.forward': '入会申请转办',
  'transfer.request': '请求转入',
  'transfer.create': '发起转会',
  'transfer.release': '同意转出',
  'transfer.accept': '接收转入',
  'transfer.reject': '不同意转会',
  'review.approve': '审核通过',
  'review.return': '退回补正',
  'review.reject': '驳回',
  'review.handover': '审核转办',
  'publicity.publish': '发布公示',
  'publicity.object': '公示收到异议',
  'publicity.resolve': '处理公示异议',
  'publicity.reveal': '查看异议人联系电话',
  'hotline.accept': '受理工单',
  'hotline.update': '修改工单',
  'hotline.dispatch': '交办工单',
  'hotline.sign': '签收工单',
  'hotline.return': '退回工单',
  'hotline.resolve': '办结工单',
  'hotline.supervise': '督办工单',
  'hotline.evaluate': '回访评价',
  'hotline.close': '归档工单',
  'hotline.reopen': '重新办理工单',
  'attachment.upload': '上传附件',
  'worker.register': '职工开通账号',
  'worker.login': '职工登录',
  'attachment.download': '下载敏感附件',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** The Chinese label of an action code (the code itself for one recorded before the catalog knew it). */
export function auditActionLabel(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}
