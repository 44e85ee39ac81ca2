import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../common/audit.js';
import { APPLICATION_WORKFLOW } from '../modules/join-applications/service.js';
import { TICKET_WORKFLOW } from '../modules/hotline/service.js';
import { TRANSFER_WORKFLOW } from '../modules/transfers/service.js';
import { systemActor } from './audit.js';
import { officerCaller } from './caller.js';
import { AppError } from './errors.js';
import { defineWorkflow } from './workflow.js';

const role = (r: string, orgPath: string, orgId: number) => ({ role: r, orgPath, orgId, orgName: `#${orgId}` });
const officer = (...roles: ReturnType<typeof role>[]) => officerCaller(systemActor, roles, null, '/1/');

interface Row { status: 'draft' | 'open' | 'done'; org: number; path: string; version: number; ok: boolean }
const wf = defineWorkflow<Row['status'], 'submit' | 'close' | 'nudge', Row>({
  entity: 'thing', auditPrefix: 'hotline', labels: { draft: '草稿', open: '办理中', done: '已办结' },
  actions: {
    submit: { from: ['draft'], to: 'open', permission: 'hotline.handle', by: 'holder', label: '提交', guard: (r) => (r.ok ? null : 'TICKET_REOPEN_SATISFIED') },
    close: { from: ['open'], to: 'done', permission: 'hotline.dispatch', by: 'any', label: '办结' },
    nudge: { from: ['open'], to: null, permission: 'hotline.supervise', by: 'higher', label: '督办' },
  },
  status: (r) => r.status, version: (r) => r.version, holder: (r) => ({ orgId: r.org, orgPath: r.path }),
  errors: { conflict: 'TICKET_STATE_CONFLICT', refused: 'TICKET_NOT_FOUND', notHolder: 'TICKET_NOT_HANDLER', notHigher: 'TICKET_SUPERVISE_OWN' },
});
const row = (o: Partial<Row> = {}): Row => ({ status: 'draft', org: 3, path: '/1/2/3/', version: 4, ok: true, ...o });
const code = (f: () => unknown) => { try { f(); } catch (e) { return e instanceof AppError ? [e.code, e.status, e.details] : e; } return null; };

describe('workflow kernel', () => {
  const holder = officer(role('officer', '/1/2/3/', 3));
  const county = officer(role('officer', '/1/2/', 2));
  const both = officer(role('officer', '/1/2/', 2), role('officer', '/1/2/3/', 3));
  const stranger = officer(role('officer', '/1/9/', 9));

  it('moves by the table; a mark keeps the state; an illegal move is 409 with the status and its label', () => {
    expect(wf.next('draft', 'submit')).toBe('open');
    expect(wf.next('open', 'nudge')).toBe('open');
    expect(wf.next('done', 'close')).toBeUndefined();
    const [c, status, details] = code(() => wf.authorize(holder, row({ status: 'done' }), 'close')) as [string, number, Record<string, unknown>];
    expect([c, status]).toEqual(['TICKET_STATE_CONFLICT', 409]);
    expect(details).toMatchObject({ status: 'done', statusLabel: '已办结', action: 'close' });
  });

  it('checks the version only when the client sent one', () => {
    expect(wf.authorize(holder, row(), 'submit').to).toBe('open');
    expect(wf.authorize(holder, row(), 'submit', 4).to).toBe('open');
    expect(code(() => wf.authorize(holder, row(), 'submit', 3))).toEqual(['VERSION_CONFLICT', 409, { version: 4, status: 'draft', statusLabel: '草稿' }]);
  });

  it('the holder, a higher union, or either: the nearest union of the caller acts', () => {
    expect(wf.abilities(holder, row({ status: 'open' }))).toEqual(['close']);
    expect(wf.abilities(county, row({ status: 'open' }))).toEqual(['close', 'nudge']);
    expect(wf.abilities(county, row())).toEqual([]);
    expect(code(() => wf.authorize(county, row(), 'submit'))).toEqual(['TICKET_NOT_HANDLER', 422, undefined]);
    expect(code(() => wf.authorize(holder, row({ status: 'open' }), 'nudge'))).toEqual(['TICKET_SUPERVISE_OWN', 422, undefined]);
    expect(code(() => wf.authorize(stranger, row({ status: 'open' }), 'close'))).toEqual(['TICKET_NOT_FOUND', 404, undefined]);
    // holding roles in both unions, the nearest acts: it may submit, and cannot 督办 its own
    expect(wf.abilities(both, row())).toEqual(['submit']);
    expect(wf.authorize(both, row(), 'submit').org.orgId).toBe(3);
  });

  it('a guard hides the action and refuses it with its own error', () => {
    expect(wf.abilities(holder, row({ ok: false }))).toEqual([]);
    expect(code(() => wf.authorize(holder, row({ ok: false }), 'submit'))).toEqual(['TICKET_REOPEN_SATISFIED', 422, undefined]);
  });

  it('every action of every module workflow has an audit label in the catalog', () => {
    for (const w of [TICKET_WORKFLOW, TRANSFER_WORKFLOW, APPLICATION_WORKFLOW]) {
      for (const a of w.actions) expect(AUDIT_ACTIONS, `${w.def.auditPrefix}.${a}`).toHaveProperty([`${w.def.auditPrefix}.${a}`]);
    }
  });
});
