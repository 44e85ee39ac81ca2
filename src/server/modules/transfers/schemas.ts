import { Type, type Static } from 'typebox';
import { ListQuery } from '../../platform/pagination.js';
import { ID_TYPES } from '../../platform/idcard.js';
import { Id, OrgId } from '../members/schemas.js';

// ---- transfers 转会 ----
export const TRANSFER_STATUSES = ['requested', 'released', 'accepted', 'rejected'] as const;
export const CreateTransferBody = Type.Object({
  memberId: Type.Optional(Id),
  idType: Type.Optional(Type.Enum(ID_TYPES)),
  idNumber: Type.Optional(Type.String({ maxLength: 40 })),
  toOrgId: OrgId,
  reason: Type.String({ minLength: 2, maxLength: 500 }),
}, { additionalProperties: false });
export type CreateTransferBody = Static<typeof CreateTransferBody>;
export const Transfer = Type.Object({
  id: Type.Integer(), personId: Type.Integer(), name: Type.String(), maskedIdNumber: Type.String(), memberNo: Type.String(),
  fromMemberId: Type.Integer(), fromOrgId: Type.Integer(), fromOrgName: Type.String(), toOrgId: Type.Integer(), toOrgName: Type.String(),
  status: Type.Enum(TRANSFER_STATUSES), reason: Type.String(), rejectReason: Type.Union([Type.String(), Type.Null()]),
  newMemberId: Type.Union([Type.Integer(), Type.Null()]), createdAt: Type.String(), releasedAt: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]), abilities: Type.Array(Type.String()),
  events: Type.Optional(Type.Array(Type.Object({
    action: Type.String(), fromStatus: Type.Union([Type.String(), Type.Null()]), toStatus: Type.Union([Type.String(), Type.Null()]),
    orgName: Type.Union([Type.String(), Type.Null()]), note: Type.Union([Type.String(), Type.Null()]), actorName: Type.Union([Type.String(), Type.Null()]), at: Type.String(),
  }), { description: '流转记录（详情中返回）' })),
});
export type Transfer = Static<typeof Transfer>;
export const TransferList = Type.Object({ items: Type.Array(Transfer), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export const ListTransfersQuery = Type.Object({
  direction: Type.Optional(Type.Enum(['in', 'out', 'all'], { default: 'all' })), status: Type.Optional(Type.Enum(TRANSFER_STATUSES)), ...ListQuery,
}, { additionalProperties: false });
export const RejectTransferBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });
