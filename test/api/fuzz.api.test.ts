import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, login, makeTestApp, makeTree, type Session, type TestApp } from '../helpers/app.js';
import { mobile, residentId } from '../helpers/ids.js';

/**
 * Hostile values sent to every operation of the OpenAPI document, in every path parameter, query
 * parameter and top-level body field: text with NUL or a lone surrogate, integers past the
 * columns' range or not integers at all, forged cursors. Every answer is a 4xx in the API's error
 * shape (a read may take a value leniently, such as 0x10 for 16), and nothing is written (every
 * write is audited, and the tables keep their rows).
 */
interface Schema { type?: string; properties?: Record<string, Schema>; enum?: unknown[]; items?: Schema; anyOf?: Schema[]; required?: string[]; format?: string }
interface Operation { parameters?: Array<{ in: string; name: string; schema?: Schema }>; requestBody?: { content?: Record<string, { schema?: Schema }> } }

const b64 = (s: string) => Buffer.from(s).toString('base64url');
/** Percent-encodes a value; a lone surrogate (no UTF-8 form) goes as the bytes of its WTF-8 form. */
const enc = (v: string) => { try { return encodeURIComponent(v); } catch { return [...v].map((c) => { try { return encodeURIComponent(c); } catch { return '%ED%A0%80'; } }).join(''); } };
const BAD_TEXT = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy'];
const BAD_INT_TEXT = ['2147483648', '9223372036854775808', '99999999999999999999', '-1', '0', '1.5', '1e400', 'NaN', '0x10', '１２'];
const BAD_INT_JSON: unknown[] = [2 ** 31, 2 ** 53, 1e300, -1, 1.5, '2147483648', '9223372036854775808'];
const BAD_CURSORS = [b64('{"id":"x"}'), b64('{"id":1.5}'), b64('{"id":1e300}'), b64('{"id":-5}'), b64('{"deadline":"zzz","id":1}'), b64('{"deadline":"2026-01-01T00:00:00Z","id":"1"}'), b64('[1]'), b64('null'), b64('"id"'), 'not~base64', b64('{"id":9007199254740993}')];

let t: TestApp;
let admin: Session;
let ids: Record<string, number> = {};

beforeAll(async () => {
  t = await makeTestApp();
  const tree = await makeTree(t);
  admin = await login(t.app, 'admin', ADMIN_PASSWORD);
  const heping = await login(t.app, 'heping');
  const m = (await heping.post('/api/members', { orgId: tree.hepingCompany, name: '王芳', idType: 'resident_id', idNumber: residentId(1), phone: mobile(1) })).json() as { id: number };
  await heping.post('/api/transfers', { memberId: m.id, toOrgId: tree.zhongshanCompany, reason: '调动' });
  await t.app.inject({ method: 'POST', url: '/api/join-applications', payload: { orgId: tree.hepingCompany, name: '李娜', idType: 'resident_id', idNumber: residentId(2), phone: mobile(2) } });
  ids = { org: tree.hepingCompany, member: m.id };
});
afterAll(async () => { await t?.close(); });

/** A value of the schema's type that the schema accepts, as far as the type goes. */
function sample(s: Schema | undefined): unknown {
  if (!s) return 'x';
  if (s.enum?.length) return s.enum[0];
  if (s.anyOf?.length) return sample(s.anyOf[0]);
  switch (s.type) {
    case 'integer': case 'number': return 1;
    case 'boolean': return false;
    case 'array': return [];
    case 'object': return {};
    default: return s.format === 'date' ? '2024-01-01' : 'x';
  }
}

const isInt = (s: Schema | undefined): boolean => s?.type === 'integer' || !!s?.anyOf?.some(isInt);

async function counts() {
  const tables = ['audit_log', 'org', 'app_user', 'user_role', 'person', 'membership', 'membership_change', 'join_application', 'member_transfer', 'hotline_ticket', 'hotline_event', 'import_job', 'calendar_day', 'dictionary_item'] as const;
  const out: Record<string, number> = {};
  for (const tb of tables) out[tb] = Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(tb)}`.execute(t.db.db)).rows[0]?.n);
  return out;
}

describe('hostile values on every route of the OpenAPI document', () => {
  it('never answer 5xx and never write', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
    const before = await counts();
    const failures: string[] = [];
    let sent = 0;
    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const params = op.parameters ?? [];
        const pathParams = params.filter((p) => p.in === 'path');
        const query = params.filter((p) => p.in === 'query');
        const bodySchema = op.requestBody?.content?.['application/json']?.schema;
        const base = () => template.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'id' ? String(template.includes('/orgs/') ? ids.org : ids.member) : name === 'date' ? '2026-10-01' : name === 'type' ? 'ethnicity' : 'x'));
        const baseBody = bodySchema?.properties ? Object.fromEntries(Object.entries(bodySchema.properties).map(([k, v]) => [k, sample(v)])) : undefined;
        const cases: Array<{ url: string; body?: unknown; what: string }> = [];
        for (const p of pathParams) {
          for (const v of isInt(p.schema) ? [...BAD_TEXT, ...BAD_INT_TEXT] : BAD_TEXT) {
            cases.push({ url: template.replace(/\{(\w+)\}/g, (_m, name: string) => (name === p.name ? enc(v) : base().split('/')[template.split('/').indexOf(`{${name}}`)] ?? 'x')), body: baseBody, what: `path ${p.name}=${JSON.stringify(v)}` });
          }
        }
        for (const q of query) {
          const values = q.name === 'cursor' ? BAD_CURSORS : isInt(q.schema) ? [...BAD_INT_TEXT, ...BAD_TEXT] : BAD_TEXT;
          for (const v of values) cases.push({ url: `${base()}?${q.name}=${enc(v)}`, body: baseBody, what: `query ${q.name}=${JSON.stringify(v)}` });
        }
        for (const [k, s] of Object.entries(bodySchema?.properties ?? {})) {
          const values = isInt(s) ? BAD_INT_JSON : s.type === 'array' ? [[...BAD_TEXT], [2 ** 40]] : s.type === 'object' ? [{ name: '\u0000' }] : BAD_TEXT;
          for (const v of values) cases.push({ url: base(), body: { ...baseBody, [k]: v }, what: `body ${k}=${JSON.stringify(v)}` });
        }
        for (const c of cases) {
          sent += 1;
          const res = await t.app.inject({
            method: method.toUpperCase() as 'GET', url: c.url, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
            ...(method === 'get' || c.body === undefined ? {} : { payload: c.body as object }),
          });
          const shaped = (() => { try { return typeof (res.json() as { error?: { code?: unknown } }).error?.code === 'string'; } catch { return false; } })();
          if (res.statusCode >= 500 || (res.statusCode >= 400 && !shaped) || (res.statusCode < 400 && method !== 'get')) failures.push(`${method.toUpperCase()} ${template} ${c.what} → ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
      }
    }
    expect(sent).toBeGreaterThan(1400);
    expect(failures).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('answer URLs the router cannot read (or reads leniently) without a 5xx, errors in the API error shape', async () => {
    for (const url of ['/api/members/%E0%A4%A', '/api/members?q=%', '/api/members?q=%E5%BC', `/api/members/${'9'.repeat(300)}`, `/api/orgs?q=${'x'.repeat(5000)}`]) {
      const res = await admin.get(url);
      expect(res.statusCode, url).toBeLessThan(500);
      if (res.statusCode >= 400) expect(typeof res.json().error.code, url).toBe('string');
    }
  });

  it('answer a URL over the HTTP parser limit in the API error shape, over a real socket', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${address}/api/members?q=${'x'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuse names that hold control, zero-width or direction characters, and take a plain one', async () => {
    const spoofs = ['张\u202e三', '张\u200b三', '李\u2066四\u2069', '王\u0007五', '赵\u2028六', '\ufeff钱七'];
    const orgName = (n: string) => admin.post('/api/orgs', { parentId: t.rootId, name: `${n}省总工会`, level: 'province', kind: 'federation', regionCode: '220000' });
    const userName = (n: string) => admin.post('/api/users', { username: `u${Math.random().toString(36).slice(2, 8)}`, name: n, password: 'Xk#9vLq2!mRt', roles: [] });
    let ip = 0;
    const caller = (n: string) => t.app.inject({ method: 'POST', url: '/api/hotline/requests', remoteAddress: `10.9.9.${(ip += 1)}`, payload: { caller: { name: n, phone: mobile(77) }, category: 'wage', content: '拖欠工资三个月', regionCode: '210102' } });
    const before = await counts();
    for (const n of spoofs) {
      for (const [what, send] of [['org', orgName], ['user', userName], ['caller', caller]] as const) {
        const res = await send(n);
        expect(res.statusCode, `${what} ${JSON.stringify(n)}`).toBe(400);
        expect(JSON.stringify(res.json().error.details), what).toContain('不能包含控制字符、零宽字符或文字方向控制符');
      }
    }
    expect(await counts()).toEqual(before);
    expect((await orgName('吉林')).statusCode).toBe(201);
  });
});
