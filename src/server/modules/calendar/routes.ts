import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requestCaller } from '../../platform/auth.js';
import { DIFFICULTIES } from '../../platform/calendar.js';
import { ErrorResponse } from '../../platform/http.js';
import type { CalendarService } from './service.js';

const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' });
const Day = Type.Object({ date: Type.String(), workday: Type.Boolean(), name: Type.Optional(Type.String()) });

/** /api/calendar — working days (法定节假日、调休) and the SLA deadline function. */
export const calendarRoutes: FastifyPluginAsyncTypebox<{ calendar: CalendarService }> = async (app, { calendar }) => {
  app.get('/api/calendar/days', {
    config: { access: { authenticated: true } },
    schema: { tags: ['calendar'], summary: '日历（工作日/节假日）', querystring: Type.Object({ from: DateStr, to: DateStr }, { additionalProperties: false }), response: { 200: Type.Array(Day), 400: ErrorResponse } },
  }, async (req) => calendar.days(req.query.from, req.query.to));

  app.put('/api/calendar/days/:date', {
    config: { access: { permission: 'calendar.update' } },
    schema: {
      tags: ['calendar'], summary: '设置某天为工作日或休息日（根工会管理员）',
      params: Type.Object({ date: DateStr }),
      body: Type.Object({ workday: Type.Boolean(), name: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])) }, { additionalProperties: false }),
      response: { 200: Day, 403: ErrorResponse },
    },
  }, async (req) => calendar.setDay(requestCaller(req), req.params.date, req.body.workday, req.body.name ?? null));

  app.get('/api/calendar/deadline', {
    config: { access: { authenticated: true } },
    schema: {
      tags: ['calendar'], summary: '按受理时间和难度计算办理时限',
      querystring: Type.Object({ from: Type.String({ format: 'date-time' }), difficulty: Type.Enum(DIFFICULTIES) }, { additionalProperties: false }),
      response: { 200: Type.Object({ deadline: Type.String({ format: 'date-time' }) }), 400: ErrorResponse },
    },
  }, async (req) => ({ deadline: (await calendar.deadline(new Date(req.query.from), req.query.difficulty)).toISOString() }));
};
