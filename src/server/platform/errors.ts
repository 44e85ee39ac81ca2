/**
 * One typed error with a catalog of stable codes. Codes are part of the public API: never rename
 * one; the Chinese message may be reworded.
 */
const catalog = {
  VALIDATION_FAILED: [400, '输入数据不符合要求'],
  REGION_CODE_UNKNOWN: [400, '行政区划代码不存在（须为 GB/T 2260 六位代码）'],
  CREDIT_CODE_INVALID: [400, '统一社会信用代码不正确'],
  PASSWORD_TOO_WEAK: [400, '密码至少 10 位，且须包含大写字母、小写字母、数字、符号中的至少三类'],
  NOT_AUTHENTICATED: [401, '请先登录'],
  BAD_CREDENTIALS: [401, '用户名或密码错误'],
  WORKER_BAD_CREDENTIALS: [401, '手机号或密码错误'],
  SESSION_EXPIRED: [401, '登录已过期，请重新登录'],
  FORBIDDEN: [403, '没有执行此操作的权限'],
  CSRF_TOKEN_INVALID: [403, '请求校验失败，请刷新页面后重试'],
  NOT_FOUND: [404, '资源不存在'],
  ORG_NOT_FOUND: [404, '工会组织不存在'],
  USER_NOT_FOUND: [404, '账号不存在'],
  DICTIONARY_NOT_FOUND: [404, '字典不存在'],
  ROUTE_NOT_FOUND: [404, '接口不存在'],
  CONFLICT: [409, '数据已被修改，请刷新后重试'],
  VERSION_CONFLICT: [409, '数据已被他人修改，请刷新后重试'],
  ORG_NAME_TAKEN: [409, '同一上级工会下已有同名工会'],
  CREDIT_CODE_TAKEN: [409, '该统一社会信用代码已被其他工会使用'],
  USERNAME_TAKEN: [409, '用户名已被使用'],
  PAYLOAD_TOO_LARGE: [413, '提交的数据过大'],
  UNSUPPORTED_MEDIA_TYPE: [415, '不支持的内容类型'],
  ORG_MOVE_CYCLE: [422, '不能把工会移动到它自身或它的下级工会之下'],
  ORG_LEVEL_INVALID: [422, '工会层级与上级工会不匹配'],
  ORG_ROOT_IMMUTABLE: [422, '根工会不能移动'],
  REGION_OUTSIDE_PARENT: [422, '行政区划代码须在上级工会所在地区之内'],
  INDUSTRY_ORG_INVALID: [422, '所选产业（行业）工会不存在'],
  ROLE_INVALID: [400, '角色不存在'],
  USER_SCOPE_PARTIAL: [403, '该账号在您管辖范围以外也有角色，只能由上级管理员修改'],
  DICTIONARY_ADMIN_ONLY: [403, '字典由根工会管理员维护'],
  PASSWORD_CURRENT_WRONG: [422, '当前密码不正确'],
  PASSWORD_UNCHANGED: [422, '新密码不能与当前密码相同'],
  PASSWORD_RESET_SELF: [422, '不能重置本人的密码，请使用“修改密码”'],
  ACCOUNT_LOCKED: [423, '密码错误次数过多，账号已锁定 15 分钟'],
  RATE_LIMITED: [429, '请求过于频繁，请稍后再试'],
  CALENDAR_ADMIN_ONLY: [403, '节假日日历由根工会管理员维护'],
  TICKET_NOT_FOUND: [404, '工单不存在'],
  NOTIFICATION_NOT_FOUND: [404, '通知不存在'],
  ATTACHMENT_NOT_FOUND: [404, '附件不存在'],
  ATTACHMENT_TYPE_REFUSED: [415, '文件类型不允许：仅支持图片（JPG、PNG、WEBP、HEIC）、PDF、Word 和 Excel（docx、xlsx）、录音（MP3、M4A、WAV、AMR）和 MP4 视频'],
  ATTACHMENT_EMPTY: [400, '文件是空的'],
  TICKET_LOOKUP_FAILED: [404, '未找到该工单，请核对工单号和来电号码'],
  TICKET_STATE_CONFLICT: [409, '工单当前状态不允许此操作'],
  TICKET_NOT_HANDLER: [422, '只有当前承办工会可以执行此操作'],
  TICKET_SUPERVISE_OWN: [422, '督办须由上级工会发起'],
  TICKET_REOPEN_SATISFIED: [422, '只有评价为不满意的工单可以重新办理'],
  DISPATCH_TARGET_INVALID: [422, '不能交办给当前承办工会本身'],
  RECEIVED_IN_FUTURE: [400, '来电时间不能晚于当前时间'],
  PHONE_INVALID: [400, '电话号码不正确'],
  ID_NUMBER_INVALID: [400, '身份证号不正确'],
  ID_TYPE_INVALID: [400, '证件类型不正确'],
  MEMBER_NOT_FOUND: [404, '会员不存在'],
  WORKER_IDENTITY_MISMATCH: [422, '证件号码与预留手机号未能匹配到在会会员，请核对；如手机号已更换，请联系所在工会更新'],
  SMS_CODE_INVALID: [422, '短信验证码错误或已过期，请重新获取'],
  SMS_DISABLED: [404, '本平台未开通短信验证码'],
  WORKER_ALREADY_REGISTERED: [409, '该会员已开通职工账号，请直接登录'],
  ALREADY_MEMBER: [422, '该人员已是工会会员，如已更换工作单位，请办理转会'],
  MEMBER_NOT_CURRENT: [422, '该会籍已终止，不能执行此操作'],
  MEMBER_STATE_CONFLICT: [409, '会籍当前状态不允许此操作'],
  APPLICATION_NOT_FOUND: [404, '入会申请不存在'],
  APPLICATION_LOOKUP_FAILED: [404, '未找到该申请，请核对申请编号和手机号码'],
  APPLICATION_DECIDED: [409, '该申请已由其他工会干部处理'],
  APPLICATION_PENDING: [409, '您已向该工会提交过入会申请，正在审核中'],
  FORWARD_TARGET_INVALID: [422, '不能转办给当前受理工会本身'],
  TRANSFER_NOT_FOUND: [404, '转会申请不存在'],
  TRANSFER_OPEN: [409, '该会员已有一笔正在办理的转会'],
  TRANSFER_STATE_CONFLICT: [409, '转会当前状态不允许此操作'],
  TRANSFER_SAME_ORG: [422, '转入工会与当前所在工会相同'],
  REVIEW_NOT_FOUND: [404, '审核事项不存在'],
  REVIEW_STATE_CONFLICT: [409, '该审核事项已处理'],
  REVIEW_NOT_HOLDER: [422, '只有当前审核工会可以审核，上级工会不能代为审核'],
  REVIEW_OWN_APPLICATION: [422, '不能审核本人提交的申请'],
  REVIEW_HANDOVER_INVALID: [422, '不能转办给当前审核工会本身'],
  REVIEW_PENDING: [409, '该事项正在审核中，不能重复提交'],
  PUBLICITY_NOT_FOUND: [404, '公示不存在'],
  PUBLICITY_EXISTS: [409, '该事项已有正在进行的公示'],
  PUBLICITY_RUNNING: [409, '公示期未满，不能进行下一步'],
  PUBLICITY_OBJECTION_OPEN: [409, '公示收到的异议尚未处理完毕，不能进行下一步'],
  PUBLICITY_CLOSED: [409, '该公示不在公示期内，不能再提出异议'],
  PUBLICITY_OBJECTION_RESOLVED: [409, '该异议已处理'],
  CARD_NOT_FOUND: [404, '未找到会员证，请核对信息'],
  IMPORT_NOT_FOUND: [404, '导入任务不存在'],
  IMPORT_FILE_INVALID: [400, '请上传 .xlsx 或 .csv 格式的名册文件'],
  PUBLIC_URL_REQUIRED: [422, '未配置站点公开地址（PUBLIC_URL），不能生成二维码链接；请联系系统管理员'],
  INTERNAL: [500, '系统内部错误，请稍后重试或联系管理员'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof catalog;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? catalog[code][1]);
    this.status = catalog[code][0];
  }
}

/** Builds an error from the catalog; `message` overrides the default Chinese text. */
export function appError(code: ErrorCode, details?: Record<string, unknown>, message?: string): AppError {
  return new AppError(code, message, details);
}

export function catalogMessage(code: ErrorCode): string {
  return catalog[code][1];
}

/** A field-level validation failure (400), with the Chinese reason on the field. */
export function invalidField(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { fields: { [field]: message } });
}

/** Postgres error shape we translate (unique_violation etc.). */
export function pgErrorInfo(err: unknown): { code?: string; constraint?: string } {
  if (typeof err !== 'object' || err === null) return {};
  const e = err as { code?: unknown; constraint?: unknown };
  return {
    code: typeof e.code === 'string' ? e.code : undefined,
    constraint: typeof e.constraint === 'string' ? e.constraint : undefined,
  };
}
