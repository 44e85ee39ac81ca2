import { describe, expect, it } from 'vitest';
import { CompiledQuery, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type Dialect } from 'kysely';
import { canonicalJson, chainHash } from './audit.js';
import { containsText, inScope, inScopeGeneric, inSubtree, inSubtreeOf, isEmptyScope, narrowScope, scopeContains, scopeFor, startsWithText, systemScope } from './scope.js';
import { permissionsOf } from './policy.js';
import { checkPlacement } from '../modules/orgs/service.js';
import { loadConfig } from '../config.js';

const dummy: Dialect = {
  createAdapter: () => new PostgresAdapter(),
  createDriver: () => ({ init: async () => {}, acquireConnection: async () => ({ executeQuery: async () => ({ rows: [] }), streamQuery: async function* () {} }), beginTransaction: async () => {}, commitTransaction: async () => {}, rollbackTransaction: async () => {}, releaseConnection: async () => {}, destroy: async () => {} }),
  createIntrospector: (db) => new PostgresIntrospector(db),
  createQueryCompiler: () => new PostgresQueryCompiler(),
};
const kysely = new Kysely<{ org: { id: number; path: string } }>({ dialect: dummy });

describe('scope', () => {
  it('is the union of subtrees where a role grants the permission, outermost paths only', () => {
    const s = scopeFor([
      { role: 'admin', orgPath: '/1/2/5/' },
      { role: 'viewer', orgPath: '/1/3/' },
      { role: 'officer', orgPath: '/1/2/5/16/' },
    ], 'org.read');
    expect(s.paths).toEqual(['/1/3/', '/1/2/5/']);
    expect(scopeFor([{ role: 'viewer', orgPath: '/1/3/' }], 'org.create').paths).toEqual([]);
    expect(isEmptyScope(scopeFor([{ role: 'viewer', orgPath: '/1/3/' }], 'org.create'))).toBe(true);
  });

  it('contains its subtrees and nothing that merely shares a digit prefix', () => {
    const s = scopeFor([{ role: 'admin', orgPath: '/1/2/' }], 'org.read');
    expect(scopeContains(s, '/1/2/')).toBe(true);
    expect(scopeContains(s, '/1/2/77/')).toBe(true);
    expect(scopeContains(s, '/1/22/')).toBe(false);
    expect(scopeContains(s, '/1/')).toBe(false);
    expect(scopeContains(systemScope(), '/9/')).toBe(true);
  });

  it('compiles to one parameterized predicate', () => {
    const s = scopeFor([{ role: 'admin', orgPath: '/1/2/' }, { role: 'admin', orgPath: '/1/7/' }], 'org.read');
    const q: CompiledQuery = kysely.selectFrom('org').select('id').where(inScope(s, 'org.path')).compile();
    expect(q.sql).toBe('select "id" from "org" where ("org"."path" like $1 or "org"."path" like $2)');
    expect(q.parameters).toEqual(['/1/2/%', '/1/7/%']);
    const none = kysely.selectFrom('org').select('id').where(inScope(scopeFor([], 'org.read'), 'org.path')).compile();
    expect(none.sql).toContain('false');
  });

  it('compiles for a generic plan with each path behind a sub-select, still parameterized', () => {
    const s = scopeFor([{ role: 'admin', orgPath: '/1/2/' }, { role: 'admin', orgPath: '/1/7/' }], 'org.read');
    const q = kysely.selectFrom('org').select('id').where(inScopeGeneric(s, 'org.path')).compile();
    expect(q.sql).toBe('select "id" from "org" where ("org"."path" like (select $1::text) or "org"."path" like (select $2::text))');
    expect(q.parameters).toEqual(['/1/2/%', '/1/7/%']);
    expect(kysely.selectFrom('org').select('id').where(inScopeGeneric(scopeFor([], 'org.read'), 'org.path')).compile().sql).toContain('false');
  });

  it('builds the subtree and text predicates, parameterized, wildcards in typed text escaped', () => {
    const q = kysely.selectFrom('org').select('id').where(inSubtree('org.path', '/1/2/')).where(inSubtreeOf('org.path', 'org.path'))
      .where(containsText('org.path', '50%_a')).where(startsWithText('org.path', '张')).compile();
    expect(q.sql).toBe('select "id" from "org" where "org"."path" like $1 and "org"."path" like "org"."path" || \'%\' and "org"."path" like $2 and "org"."path" like $3');
    expect(q.parameters).toEqual(['/1/2/%', '%50\\%\\_a%', '张%']);
    expect(() => inSubtree('org.path', "/1/' or true --/")).toThrow(/malformed/);
  });

  it('narrows to a subtree inside it, and to nothing outside it', () => {
    const s = scopeFor([{ role: 'admin', orgPath: '/1/2/' }], 'org.read');
    expect(narrowScope(s, '/1/2/5/').paths).toEqual(['/1/2/5/']);
    expect(isEmptyScope(narrowScope(s, '/1/22/'))).toBe(true);
    expect(isEmptyScope(narrowScope(s, '/1/'))).toBe(true);
    expect(narrowScope(systemScope(), '/9/').paths).toEqual(['/9/']);
    expect(() => narrowScope(s, "/1/2/' or 1=1 --/")).toThrow();
  });

  it('refuses malformed paths', () => {
    expect(() => scopeFor([{ role: 'admin', orgPath: "/1/' or 1=1 --/" }], 'org.read')).toThrow();
  });

  it('maps roles to permissions through the one policy table', () => {
    expect(permissionsOf(['viewer'])).toEqual(['org.read', 'stats.read', 'hotline.read', 'member.read']);
    expect(permissionsOf(['officer'])).toEqual(expect.arrayContaining(['member.read', 'member.manage', 'member.reveal']));
    expect(permissionsOf(['hotline_agent'])).not.toContain('member.read');
    expect(permissionsOf(['hotline_agent'])).toContain('hotline.create');
    expect(permissionsOf(['officer'])).not.toContain('hotline.create');
    expect(permissionsOf(['officer'])).not.toContain('org.move');
    expect(permissionsOf(['admin'])).toContain('audit.read');
    expect(permissionsOf(['nonsense'])).toEqual([]);
  });
});

describe('tree shape rules', () => {
  it.each([
    [{ level: 'county', kind: 'federation' }, { level: 'grassroots', kind: 'grassroots' }],
    [{ level: 'province', kind: 'federation' }, { level: 'province', kind: 'industry' }],
    [{ level: 'grassroots', kind: 'grassroots' }, { level: 'grassroots', kind: 'grassroots' }],
    [{ level: 'grassroots', kind: 'grassroots' }, { level: 'branch', kind: 'branch' }],
    [{ level: 'branch', kind: 'branch' }, { level: 'group', kind: 'group' }],
  ])('allows %o → %o', (parent, child) => expect(() => checkPlacement(parent, child)).not.toThrow());
  it.each([
    [{ level: 'county', kind: 'federation' }, { level: 'city', kind: 'federation' }],
    [{ level: 'county', kind: 'federation' }, { level: 'county', kind: 'federation' }],
    [{ level: 'grassroots', kind: 'grassroots' }, { level: 'street', kind: 'federation' }],
    [{ level: 'county', kind: 'federation' }, { level: 'grassroots', kind: 'federation' }],
    [{ level: 'branch', kind: 'branch' }, { level: 'branch', kind: 'branch' }],
  ])('refuses %o → %o', (parent, child) => expect(() => checkPlacement(parent, child)).toThrow(/层级/));
});

describe('audit hashing', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":2,"y":1}]},"b":1}');
    const f = { at: new Date(0), actorId: 1, actorName: 'a', orgId: 1, orgPath: '/1/', action: 'x', entityType: 'y', entityId: '1', before: { a: 1, b: 2 }, after: null, requestId: null, ip: null };
    expect(chainHash('0', f)).toBe(chainHash('0', { ...f, before: { b: 2, a: 1 } }));
    expect(chainHash('0', f)).not.toBe(chainHash('1', f));
  });
});

describe('config', () => {
  it('has defaults and rejects bad values with a readable message', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, demo: true, databaseUrl: undefined, root: { name: '中华全国总工会', level: 'national' } });
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(c.databasePoolSize).toBeGreaterThanOrEqual(4);
    expect(loadConfig({ DATABASE_POOL_SIZE: '6' }).databasePoolSize).toBe(6);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: 'many' })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ GONGHUI_DEMO: 'maybe' })).toThrow(/GONGHUI_DEMO/);
    expect(loadConfig({ GONGHUI_ROOT_LEVEL: 'province', GONGHUI_ROOT_NAME: '辽宁省总工会' }).root).toEqual({ name: '辽宁省总工会', level: 'province', regionCode: '210000' });
  });
});
