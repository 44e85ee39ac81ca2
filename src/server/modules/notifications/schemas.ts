import { Type } from 'typebox';
import { ListQuery } from '../../platform/pagination.js';

// ---- notifications 站内通知 ----
export const Notification = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: '事件：overdue 超期、supervise 督办 …' }),
  message: Type.String(),
  /** The union addressed (null for a notice to a worker). */
  orgId: Type.Union([Type.Integer(), Type.Null()]),
  entityType: Type.String({ description: '所涉对象：hotline_ticket …' }),
  entityId: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  read: Type.Boolean(),
});
export const NotificationList = Type.Object({
  items: Type.Array(Notification), unreadCount: Type.Integer(), nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export const ListNotificationsQuery = Type.Object({
  unread: Type.Optional(Type.Boolean({ description: '只看未读' })), ...ListQuery,
}, { additionalProperties: false });
export const NotificationParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }) });
export const ReadResult = Type.Object({ id: Type.Integer(), read: Type.Literal(true), unreadCount: Type.Integer() });
export const ReadAllResult = Type.Object({ marked: Type.Integer(), unreadCount: Type.Integer() });
