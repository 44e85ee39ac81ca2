import { Type, type Static } from 'typebox';
import { BigId, IntId, Nullable } from '../../platform/http.js';
import { ListQuery } from '../../platform/pagination.js';
import { VersionField as version } from '../../platform/workflow.js';

export const REVIEW_STEP_STATUSES = ['pending', 'approved', 'returned', 'rejected', 'handed_over', 'withdrawn'] as const;
export type ReviewStepStatus = (typeof REVIEW_STEP_STATUSES)[number];
export const REVIEW_ACTIONS = ['approve', 'return', 'reject', 'handover'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];


export const ReviewStep = Type.Object({
  id: Type.Integer(), entityType: Type.String(), entityLabel: Type.String(), entityId: Type.Integer(), page: Nullable(Type.String()),
  summary: Type.String(), round: Type.Integer({ description: '第几轮（退回补正后重新提交为新一轮）' }), seq: Type.Integer({ description: '第几级审核' }),
  orgId: Type.Integer(), orgName: Type.String(), status: Type.Enum(REVIEW_STEP_STATUSES), statusLabel: Type.String(),
  startedAt: Type.String({ format: 'date-time' }), deadline: Type.String({ format: 'date-time' }), overdue: Type.Boolean({ description: '超期（不会因此驳回申请）' }),
  decidedAt: Nullable(Type.String()), decidedByName: Nullable(Type.String()), reason: Nullable(Type.String()), handedToOrgId: Nullable(Type.Integer()),
  version: Type.Integer(),
  abilities: Type.Array(Type.Enum(REVIEW_ACTIONS), { description: '当前账号可执行的审核操作' }),
});
export type ReviewStep = Static<typeof ReviewStep>;
export const ReviewStepDetail = Type.Object({ ...ReviewStep.properties, history: Type.Array(ReviewStep, { description: '该事项的全部审核环节' }) });
export const ReviewQueue = Type.Object({ items: Type.Array(ReviewStep), nextCursor: Nullable(Type.String()) });
export const ReviewQueueQuery = Type.Object({
  entityType: Type.Optional(Type.String({ maxLength: 40, pattern: '^[a-z_]+$' })),
  overdue: Type.Optional(Type.Boolean({ description: 'true 只看已超期' })),
  ...ListQuery,
}, { additionalProperties: false });
export type ReviewQueueQuery = Static<typeof ReviewQueueQuery>;
export const StepParams = Type.Object({ id: BigId() });
export const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })), version }, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 1000 }), version }, { additionalProperties: false });
export const HandoverBody = Type.Object({ orgId: IntId({ description: '转办给哪个工会' }), reason: Type.String({ minLength: 2, maxLength: 1000 }), version }, { additionalProperties: false });
