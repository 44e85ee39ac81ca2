import { Type, type Static } from 'typebox';
import { NameText } from '../../platform/http.js';
import { ListQuery } from '../../platform/pagination.js';
import { ID_TYPES } from '../../platform/idcard.js';
import { Groups, Name, OrgId } from '../members/schemas.js';

// ---- join applications 入会申请 ----
export const APPLICATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const SubmitApplicationBody = Type.Object({
  orgId: Type.Optional(OrgId),
  orgCode: Type.Optional(Type.String({ maxLength: 30, description: '工会统一社会信用代码' })),
  name: Name,
  idType: Type.Enum(ID_TYPES),
  idNumber: Type.String({ minLength: 1, maxLength: 40 }),
  phone: Type.String({ minLength: 1, maxLength: 20 }),
  employer: Type.Optional(NameText({ minLength: 0, maxLength: 100 })),
  occupation: Type.Optional(NameText({ minLength: 0, maxLength: 50 })),
  groups: Type.Optional(Groups),
  channel: Type.Optional(Type.Enum(['online', 'qr'])),
}, { additionalProperties: false });
export type SubmitApplicationBody = Static<typeof SubmitApplicationBody>;

export const Application = Type.Object({
  alreadyMember: Type.Boolean({ description: '待审核的申请人已是（某个）工会的会员：应办理转会而非入会' }),
  id: Type.Integer(), applicationNo: Type.String(), orgId: Type.Integer(), orgName: Type.String(), status: Type.Enum(APPLICATION_STATUSES),
  channel: Type.String(), name: Type.String(), idType: Type.String(), maskedIdNumber: Type.String(), maskedPhone: Type.String(),
  gender: Type.Union([Type.String(), Type.Null()]), birthDate: Type.Union([Type.String(), Type.Null()]),
  employer: Type.Union([Type.String(), Type.Null()]), occupation: Type.Union([Type.String(), Type.Null()]), groups: Type.Array(Type.String()),
  rejectReason: Type.Union([Type.String(), Type.Null()]), memberId: Type.Union([Type.Integer(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), version: Type.Integer(),
  abilities: Type.Array(Type.String(), { description: '当前账号对该申请可执行的操作（approve 审核通过 / reject 不通过 / forward 转办）' }),
  events: Type.Optional(Type.Array(Type.Object({
    action: Type.String(), orgName: Type.Union([Type.String(), Type.Null()]), targetOrgName: Type.Union([Type.String(), Type.Null()]),
    note: Type.Union([Type.String(), Type.Null()]), actorName: Type.Union([Type.String(), Type.Null()]), at: Type.String(),
  }))),
});
export type Application = Static<typeof Application>;
export const ApplicationList = Type.Object({ items: Type.Array(Application), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export const ListApplicationsQuery = Type.Object({
  orgId: Type.Optional(OrgId), status: Type.Optional(Type.Enum(APPLICATION_STATUSES)), ...ListQuery,
}, { additionalProperties: false });
export const RejectBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });
export const ForwardBody = Type.Object({ toOrgId: OrgId, reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });
export const ApplicationStatusQuery = Type.Object({
  applicationNo: Type.String({ maxLength: 30 }), phone: Type.String({ maxLength: 20 }),
}, { additionalProperties: false });
export const ApplicationStatus = Type.Object({
  applicationNo: Type.String(), status: Type.Enum(APPLICATION_STATUSES), statusLabel: Type.String(), orgName: Type.String(),
  rejectReason: Type.Union([Type.String(), Type.Null()]), submittedAt: Type.String(),
});
