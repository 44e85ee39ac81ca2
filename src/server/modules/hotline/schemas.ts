import { NameText } from '../../platform/http.js';
import { Type, type Static } from 'typebox';
import { DIFFICULTIES } from '../../platform/calendar.js';
import { ListQuery } from '../../platform/pagination.js';

export const TICKET_STATUSES = ['accepted', 'dispatched', 'signed', 'returned', 'resolved', 'evaluated', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const OPEN_STATUSES: readonly TicketStatus[] = ['accepted', 'dispatched', 'signed', 'returned'];
export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export const CHANNELS = ['phone', 'web', 'mobile'] as const;

const Id = Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 });
const Category = Type.String({ pattern: '^[a-z_]{2,30}$', description: '字典 hotline_category 的代码' });
const Employer = Type.Object({ name: NameText({ maxLength: 100 }), creditCode: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false });
const Caller = Type.Object({
  name: NameText({ maxLength: 50 }),
  phone: Type.String({ minLength: 5, maxLength: 20 }),
  idNumber: Type.Optional(Type.String({ minLength: 15, maxLength: 24 })),
}, { additionalProperties: false });

export const CreateTicketBody = Type.Object({
  channel: Type.Enum(CHANNELS),
  receivedAt: Type.Optional(Type.String({ format: 'date-time', description: '来电时间，默认当前时间，不能晚于当前' })),
  caller: Caller,
  category: Category,
  content: Type.String({ minLength: 2, maxLength: 5000 }),
  employer: Type.Optional(Employer),
  regionCode: Type.String({ pattern: '^\\d{6}$' }),
  difficulty: Type.Enum(DIFFICULTIES),
}, { additionalProperties: false });
export type CreateTicketBody = Static<typeof CreateTicketBody>;

export const PublicRequestBody = Type.Object({
  caller: Caller,
  category: Category,
  content: Type.String({ minLength: 5, maxLength: 2000 }),
  employer: Type.Optional(Employer),
  regionCode: Type.String({ pattern: '^\\d{6}$' }),
  channel: Type.Optional(Type.Enum(['web', 'mobile'])),
}, { additionalProperties: false });
export type PublicRequestBody = Static<typeof PublicRequestBody>;

export const UpdateTicketBody = Type.Object({
  difficulty: Type.Optional(Type.Enum(DIFFICULTIES)),
  category: Type.Optional(Category),
}, { additionalProperties: false });

export const TicketParams = Type.Object({ id: Id });
export const DispatchBody = Type.Object({ orgId: Id, note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
export const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false });
export const SuperviseBody = Type.Object({ note: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false });
export const ResolveBody = Type.Object({
  result: Type.String({ minLength: 2, maxLength: 5000 }),
  amountRecoveredFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e13, description: '追回欠薪金额（分）' })),
  amountRecovered: Type.Optional(Type.Number({ minimum: 0, maximum: 1e11, description: '追回欠薪金额（元，最多两位小数；与 amountRecoveredFen 二选一，保留以兼容）' })),
}, { additionalProperties: false });
export const EvaluateBody = Type.Object({ satisfaction: Type.Enum(SATISFACTIONS), comment: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export const PublicEvaluateBody = Type.Object({
  ticketNo: Type.String({ pattern: '^\\d{14}$' }), phone: Type.String({ minLength: 5, maxLength: 20 }),
  satisfaction: Type.Enum(SATISFACTIONS), comment: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });

export const ListTicketsQuery = Type.Object({
  status: Type.Optional(Type.Enum(TICKET_STATUSES)),
  orgId: Type.Optional(Id),
  overdue: Type.Optional(Type.Boolean()),
  open: Type.Optional(Type.Boolean({ description: 'true 只看未办结（受理、交办、签收、退回）' })),
  dueBefore: Type.Optional(Type.String({ format: 'date-time' })),
  supervision: Type.Optional(Type.Boolean({ description: 'true 只看下级工会承办的工单（督办视图）' })),
  ...ListQuery,
}, { additionalProperties: false });
export type ListTicketsQuery = Static<typeof ListTicketsQuery>;

export const TicketEvent = Type.Object({
  id: Type.Integer(), action: Type.String(), fromStatus: Type.Union([Type.String(), Type.Null()]), toStatus: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]), orgId: Type.Union([Type.Integer(), Type.Null()]), orgName: Type.Union([Type.String(), Type.Null()]),
  targetOrgId: Type.Union([Type.Integer(), Type.Null()]), targetOrgName: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]), at: Type.String({ format: 'date-time' }),
});

export const Ticket = Type.Object({
  id: Type.Integer(), ticketNo: Type.String(), channel: Type.String(), receivedAt: Type.String({ format: 'date-time' }),
  callerName: Type.String(), maskedPhone: Type.String(), maskedIdNumber: Type.Union([Type.String(), Type.Null()]),
  category: Type.String(), content: Type.String(), employerName: Type.Union([Type.String(), Type.Null()]), employerCreditCode: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.String(), difficulty: Type.Union([Type.Enum(DIFFICULTIES), Type.Null()]), status: Type.Enum(TICKET_STATUSES),
  deadline: Type.String({ format: 'date-time' }), overdue: Type.Boolean(), supervised: Type.Boolean(), returned: Type.Boolean(), reopenedCount: Type.Integer(),
  memberId: Type.Union([Type.Integer(), Type.Null()], { description: '来电人是工会会员时，其会籍 id' }),
  acceptOrgId: Type.Integer(), handlingOrgId: Type.Integer(), handlingOrgName: Type.String(), dispatcherOrgId: Type.Union([Type.Integer(), Type.Null()]),
  result: Type.Union([Type.String(), Type.Null()]), amountRecovered: Type.Union([Type.Number(), Type.Null()]), amountRecoveredFen: Type.Union([Type.Integer(), Type.Null()]),
  satisfaction: Type.Union([Type.Enum(SATISFACTIONS), Type.Null()]), resolvedAt: Type.Union([Type.String(), Type.Null()]), resolvedOnTime: Type.Union([Type.Boolean(), Type.Null()]),
  abilities: Type.Optional(Type.Array(Type.String(), { description: '当前账号对该工单可执行的操作' })),
  events: Type.Optional(Type.Array(TicketEvent)),
});
export type Ticket = Static<typeof Ticket>;
export const TicketList = Type.Object({ items: Type.Array(Ticket), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const StatsQuery = Type.Object({
  orgId: Type.Optional(Id), from: Type.Optional(Type.String({ format: 'date' })), to: Type.Optional(Type.String({ format: 'date' })),
}, { additionalProperties: false });
export const HotlineStats = Type.Object({
  orgId: Type.Integer(), from: Type.String(), to: Type.String(),
  received: Type.Integer(), resolved: Type.Integer(), resolvedOnTime: Type.Integer(), overdue: Type.Integer(),
  evaluated: Type.Integer(), satisfactionRate: Type.Union([Type.Number(), Type.Null()]), amountRecovered: Type.Number(), amountRecoveredFen: Type.Integer(),
  byCategory: Type.Array(Type.Object({ category: Type.String(), label: Type.String(), received: Type.Integer(), resolved: Type.Integer() })),
  byOrg: Type.Array(Type.Object({ orgId: Type.Integer(), orgName: Type.String(), received: Type.Integer(), resolved: Type.Integer(), overdue: Type.Integer() })),
});

