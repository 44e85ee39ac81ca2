import { Type, type Static } from 'typebox';
import { NullableString, BigId, IntId, NameText } from '../../platform/http.js';
import { ListQuery } from '../../platform/pagination.js';
import { ID_TYPES } from '../../platform/idcard.js';

export const MEMBER_STATUSES = ['active', 'retained', 'transferred', 'expelled', 'withdrawn'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export const CURRENT_STATUSES: readonly MemberStatus[] = ['active', 'retained'];
export const CHANNELS = ['window', 'online', 'qr', 'roster', 'transfer'] as const;
export const LEAVE_TYPES = ['retain', 'expel', 'withdraw'] as const;

export const Id = BigId();
export const OrgId = IntId();
export const Code = Type.String({ pattern: '^[0-9a-z_]{1,30}$' });
export const Groups = Type.Array(Code, { maxItems: 12, uniqueItems: true, description: '字典 member_group 的代码（新就业形态、八大群体等）' });
export const Name = NameText({ maxLength: 50 });
export const DateStr = Type.String({ format: 'date' });

export const CreateMemberBody = Type.Object({
  orgId: OrgId,
  name: Name,
  idType: Type.Enum(ID_TYPES),
  idNumber: Type.String({ minLength: 1, maxLength: 40 }),
  phone: Type.String({ minLength: 1, maxLength: 20 }),
  gender: Type.Optional(Type.Enum(['male', 'female'])),
  birthDate: Type.Optional(DateStr),
  ethnicity: Type.Optional(Code),
  education: Type.Optional(Code),
  employmentStatus: Type.Optional(Code),
  householdType: Type.Optional(Code),
  isMigrantWorker: Type.Optional(Type.Boolean()),
  groups: Type.Optional(Groups),
  joinedOn: Type.Optional(DateStr),
}, { additionalProperties: false });
export type CreateMemberBody = Static<typeof CreateMemberBody>;

export const UpdateMemberBody = Type.Object({
  version: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }),
  name: Type.Optional(Name),
  phone: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  ethnicity: Type.Optional(Type.Union([Code, Type.Null()])),
  education: Type.Optional(Type.Union([Code, Type.Null()])),
  employmentStatus: Type.Optional(Type.Union([Code, Type.Null()])),
  householdType: Type.Optional(Type.Union([Code, Type.Null()])),
  isMigrantWorker: Type.Optional(Type.Boolean()),
  groups: Type.Optional(Groups),
}, { additionalProperties: false });
export type UpdateMemberBody = Static<typeof UpdateMemberBody>;

/** Fields every member read returns, the list's summary view included. */
const memberSummaryFields = {
  id: Type.Integer({ description: '会籍 id' }),
  memberNo: Type.String({ description: '会员编号（随人不变）' }),
  name: Type.String(),
  maskedIdNumber: Type.String(),
  maskedPhone: Type.String(),
  birthDate: NullableString(),
  gender: NullableString(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  status: Type.Enum(MEMBER_STATUSES),
  joinedOn: Type.String({ description: '入会日期' }),
};
/** The rest of a member's record: absent from list items when `view=summary`. */
const memberDetailFields = {
  personId: Type.Integer(),
  idType: Type.String(),
  ethnicity: NullableString(),
  education: NullableString(),
  employmentStatus: NullableString(),
  householdType: NullableString(),
  isMigrantWorker: Type.Boolean(),
  groups: Type.Array(Type.String()),
  startedOn: Type.String({ description: '进入本工会日期' }),
  endedOn: NullableString(),
  channel: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
};
export const Member = Type.Object({ ...memberSummaryFields, ...memberDetailFields });
export type Member = Static<typeof Member>;
export type MemberSummary = Pick<Member, keyof typeof memberSummaryFields>;

/**
 * A list item: the whole record, or with `view=summary` only what a roster table shows (less
 * personal data on the wire and half the bytes; the detail route gives the rest). One schema
 * with the detail fields optional keeps the response serialiser a single compiled function.
 */
const MemberListItem = Type.Object({ ...memberSummaryFields, ...Type.Partial(Type.Object(memberDetailFields)).properties });
export const MemberList = Type.Object({ items: Type.Array(MemberListItem), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const ListMembersQuery = Type.Object({
  orgId: Type.Optional(OrgId),
  q: Type.Optional(Type.String({ maxLength: 40, description: '姓名（前缀）、证件号后 4 位、完整证件号、手机号或会员编号' })),
  status: Type.Optional(Type.Enum(['current', 'ended', 'all', ...MEMBER_STATUSES], { default: 'current' })),
  view: Type.Optional(Type.Enum(['full', 'summary'], { default: 'full', description: 'summary：列表只返回编号、姓名、脱敏证件号与手机号、性别、出生日期、工会、状态、入会日期' })),
  ...ListQuery,
}, { additionalProperties: false });
export type ListMembersQuery = Static<typeof ListMembersQuery>;

export const MemberParams = Type.Object({ id: Id });
export const RevealBody = Type.Object({ field: Type.Enum(['idNumber', 'phone']), reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false });
export const LeaveBody = Type.Object({
  type: Type.Enum(LEAVE_TYPES),
  reason: Type.String({ minLength: 2, maxLength: 500, description: '说明' }),
  reasonCode: Type.Optional(Type.String({ pattern: '^[1-6]$', description: '字典 change_reason 的代码' })),
}, { additionalProperties: false });

export const HistoryItem = Type.Object({
  id: Type.Integer(), membershipId: Type.Integer(), changeType: Type.String(), changeTypeLabel: Type.String(),
  reasonCode: Type.Union([Type.String(), Type.Null()]), note: Type.Union([Type.String(), Type.Null()]),
  orgId: Type.Integer(), orgName: Type.String(), relatedOrgName: Type.Union([Type.String(), Type.Null()]),
  channel: Type.Union([Type.String(), Type.Null()]), actorName: Type.Union([Type.String(), Type.Null()]), at: Type.String(),
});

export const Card = Type.Object({
  memberNo: Type.String(), name: Type.String(), orgName: Type.String(), joinedOn: Type.String(),
  qr: Type.String({ description: '二维码图片（data URL），内容为带签名、会过期的核验链接' }),
  token: Type.String(), expiresAt: Type.String(),
});
export const CardLookupBody = Type.Object({
  applicationNo: Type.Optional(Type.String({ maxLength: 30 })),
  idType: Type.Optional(Type.Enum(ID_TYPES)),
  idNumber: Type.Optional(Type.String({ maxLength: 40 })),
  phone: Type.String({ minLength: 1, maxLength: 20 }),
}, { additionalProperties: false });
export const CardVerify = Type.Object({
  valid: Type.Boolean(), reason: Type.Optional(Type.String()),
  name: Type.Optional(Type.String({ description: '脱敏姓名' })), orgName: Type.Optional(Type.String()), expiresAt: Type.Optional(Type.String()),
});

export const MemberFigures = Type.Object({
  memberCount: Type.Integer({ description: '本级及下级在会会员数（状态为 active 的会籍）' }),
  directMemberCount: Type.Integer({ description: '本级直属会员数' }),
  retainedCount: Type.Integer({ description: '保留会籍人数' }),
  newMembersThisYear: Type.Integer({ description: '今年入会且在会的会员数' }),
});
export type MemberFigures = Static<typeof MemberFigures>;
