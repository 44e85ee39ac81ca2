import { describe, expect, it } from 'vitest';
import { systemActor } from './audit.js';
import { jobCaller, officerCaller, systemCaller } from './caller.js';
import { effectivePermissions } from './policy.js';
import { isEmptyScope, scopeFor } from './scope.js';

const role = (r: string, orgPath: string, orgId: number) => ({ role: r, orgPath, orgId, orgName: `#${orgId}` });

describe('caller', () => {
  it('carries the scope of the route permission, and of any other one on request', () => {
    const c = officerCaller(systemActor, [role('officer', '/1/2/', 2), role('hotline_agent', '/1/', 1)], 'member.read', '/1/');
    expect(c.scope.paths).toEqual(['/1/2/']);
    expect(c.as('hotline.create').scope.paths).toEqual(['/1/']);
    expect(c.as('hotline.read').scope.paths).toEqual(['/1/']);
    expect(isEmptyScope(c.as('user.manage').scope)).toBe(true);
    expect(c.holding('hotline.handle').map((r) => r.orgId)).toEqual([1, 2]); // outermost first
  });

  it('grants a root-only permission for roles held in the root union only', () => {
    const province = [role('admin', '/1/2/', 2)];
    expect(isEmptyScope(officerCaller(systemActor, province, 'dictionary.update', '/1/').scope)).toBe(true);
    expect(officerCaller(systemActor, province, 'org.update', '/1/').scope.paths).toEqual(['/1/2/']);
    expect(officerCaller(systemActor, [role('admin', '/1/', 1)], 'calendar.update', '/1/').scope.paths).toEqual(['/1/']);
    expect(officerCaller(systemActor, province, 'org.read', '/1/').holding('calendar.update')).toEqual([]);
    // the same rule as the menus of `me`
    expect(effectivePermissions(province, '/1/')).not.toContain('dictionary.update');
    expect(effectivePermissions([role('admin', '/1/', 1)], '/1/')).toContain('dictionary.update');
    // without a known root nobody holds a root-only permission
    expect(isEmptyScope(scopeFor([role('admin', '/1/', 1)], 'dictionary.update'))).toBe(true);
  });

  it('has no scope on a route that declares no permission', () => {
    const c = officerCaller(systemActor, [role('admin', '/1/', 1)], null, '/1/');
    expect(() => c.scope).toThrow(/no permission/);
    expect(c.as('org.read').scope.paths).toEqual(['/1/']);
  });

  it('a job sees its union under every permission; the system sees everything', () => {
    const j = jobCaller(systemActor, '/1/5/');
    expect(j.scope.paths).toEqual(['/1/5/']);
    expect(j.as('member.manage').scope.paths).toEqual(['/1/5/']);
    expect(() => jobCaller(systemActor, "/1/' or 1=1/")).toThrow();
    expect(systemCaller(systemActor).as('dictionary.update').scope.system).toBe(true);
  });
});
