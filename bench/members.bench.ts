/**
 * `npm run bench:members` — member figures and searches at province scale, each beside a baseline
 * measured in the same run:
 *  - subtree statistics (`GET /api/orgs/:id/stats`) for the province, a city and a county against
 *    the two ways a typical admin framework counts (a recursive CTE over parent ids; a LIKE on the
 *    org path joined to every membership);
 *  - scoped member list and searches under load (autocannon, 32 connections): first page, a deep
 *    keyset page, exact ID lookup, name search — each beside the database alone, the same
 *    request's SQL replayed by pgbench with 32 clients (PostgreSQL, when pgbench is installed);
 *  - HTTP throughput of one read route against a bare Fastify route running the same query.
 * On PostgreSQL it reads BENCH_DATABASE_URL, a database built by `npm run gen` (its PII key in
 * BENCH_DATA_DIR); on PGlite it generates BENCH_PGLITE_MEMBERS (default 200,000) first.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { buildApp, buildServices } from '../src/server/app.js';
import { bootstrap } from '../src/server/bootstrap.js';
import { loadConfig } from '../src/server/config.js';
import { connectPglite, connectPostgres, type Db } from '../src/server/db/connect.js';
import { migrate } from '../src/server/db/migrate.js';
import { systemActor } from '../src/server/platform/audit.js';
import { auditKeyFrom, createPiiCipher, loadOrCreatePiiKey, masterKeyOf, type PiiCipher } from '../src/server/platform/crypto.js';
import { encodeCursor } from '../src/server/platform/pagination.js';
import { systemCaller } from '../src/server/platform/caller.js';
import { generateProvince } from '../scripts/generate/province.js';
import { ALL_PLANS, type PlanKind } from '../src/server/modules/members/list-plan.js';
import { createMemberService } from '../src/server/modules/members/service.js';
import { hasPgbench, pgbench, recordStatements } from './pgbench.js';
import { pct, writeSection } from './report.js';
import { configureAuditKey } from '../src/server/platform/audit.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_LOAD_ROUNDS ?? 3);
const PASSWORD = 'Bench@Pass2026';

async function timed(fn: () => Promise<unknown>, runs: number) {
  await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { p50: pct(xs, 50), p95: pct(xs, 95) };
}
const ms = (x: number) => (x >= 100 ? `${Math.round(x)} ms` : `${x.toFixed(1)} ms`);

// autocannon reports a fixed list of percentiles (…, p90, p97.5, …), read from the module it builds its
// latency summary with; the goal is stated as a p95, so it is added to that list (resolved from autocannon,
// so it is the same module instance)
const autocannonPercentiles = (createRequire(createRequire(import.meta.url).resolve('autocannon'))('hdr-histogram-percentiles-obj') as { percentiles: number[] }).percentiles;
if (!autocannonPercentiles.includes(95)) autocannonPercentiles.push(95);

async function load(url: string, headers: Record<string, string>, duration = DURATION) {
  // the load generator gets its own thread: in the server's event loop it would slow the server it measures
  const r = await autocannon({ url, connections: 32, duration, headers, workers: 1 });
  const p95 = (r.latency as unknown as Record<string, number | undefined>).p95;
  if (p95 === undefined) throw new Error('autocannon gave no p95');
  return { rps: r.requests.average, p50: r.latency.p50, p95, p97: r.latency.p97_5, non2xx: r.non2xx, errors: r.errors };
}

async function session(base: string, username: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie };
}

async function benchOn(label: string, db: Db, pii: PiiCipher, dataDir: string, url?: string): Promise<string[]> {
  const out: string[] = [];
  const config = loadConfig({ GONGHUI_DEMO: '0', WEB_DIR: '/nonexistent', DATA_DIR: dataDir, GONGHUI_ADMIN_PASSWORD: PASSWORD });
  configureAuditKey(auditKeyFrom(masterKeyOf(pii)));
  const boot = await bootstrap(db.db, config);
  const services = buildServices(db, config, boot, pii);
  const province = await db.db.selectFrom('org').select(['id', 'path', 'name']).where('level', '=', 'province').executeTakeFirstOrThrow();
  // the county with the most members, and its city
  const top = await sql<{ id: number }>`select c.id from org c join org g on g.path like c.path || '%' join member_count s on s.org_id = g.id
    where c.level = 'county' group by c.id order by sum(s.active) desc limit 1`.execute(db.db);
  const county = await db.db.selectFrom('org').select(['id', 'path', 'name', 'parent_id']).where('id', '=', Number(top.rows[0]?.id)).executeTakeFirstOrThrow();
  const city = await db.db.selectFrom('org').select(['id', 'path', 'name']).where('id', '=', county.parent_id ?? 0).executeTakeFirstOrThrow();
  // the street union under that county with the most members (below a county: the county walk, and surname searches by union path)
  const topStreet = await sql<{ id: number }>`select t.id from org t join org g on g.path like t.path || '%' join member_count s on s.org_id = g.id
    where t.parent_id = ${county.id} and t.level = 'street' group by t.id order by sum(s.active) desc limit 1`.execute(db.db);
  const streetId = Number(topStreet.rows[0]?.id ?? county.id);
  const officers = [['bench_province', province.id, 'admin'], ['bench_city', city.id, 'admin'], ['bench_county', county.id, 'officer'], ['bench_street', streetId, 'officer']] as const;
  for (const [username, org, role] of officers) {
    const exists = await db.db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirst();
    if (!exists) await services.users.create(systemCaller(systemActor), { username, name: username, password: PASSWORD, roles: [{ orgId: org, role }] });
  }
  const counts = await sql<{ members: number; orgs: number }>`select (select count(*) from membership where status = 'active')::bigint as members, (select count(*) from org)::bigint as orgs`.execute(db.db);
  const members = Number(counts.rows[0]?.members);
  out.push(`### ${label}: ${members.toLocaleString('en')} active members, ${Number(counts.rows[0]?.orgs).toLocaleString('en')} unions`, '');
  if (url) {
    const settings = await sql<{ name: string; setting: string }>`select name, current_setting(name) as setting from pg_settings
      where name in ('server_version', 'shared_buffers', 'effective_cache_size', 'work_mem', 'jit') order by name`.execute(db.db);
    out.push(`PostgreSQL settings: ${settings.rows.map((r) => `${r.name} ${r.setting}`).join(', ')}.`, '');
  }

  const app = await buildApp({ db, config, rootPath: boot.rootPath, services, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  try {
    const prov = await session(base, 'bench_province');
    const cty = await session(base, 'bench_county');
    const cit = await session(base, 'bench_city');
    const str = await session(base, 'bench_street');

    // --- subtree statistics ---
    out.push('#### Subtree statistics (`GET /api/orgs/:id/stats`, sequential)', '',
      '| union | route p50 (HTTP, session, all figures) | route p95 | member figures query p50 | recursive CTE p50 | path LIKE + count p50 | ratio (best baseline / figures query) | figures agree |', '|---|---|---|---|---|---|---|---|');
    const baseRuns = Math.max(3, Math.round(RUNS / 4));
    for (const o of [province, city, county]) {
      const ours = await timed(async () => { const r = await fetch(`${base}/api/orgs/${o.id}/stats`, { headers: prov }); await r.json(); }, RUNS);
      const figure = ((await (await fetch(`${base}/api/orgs/${o.id}/stats`, { headers: prov })).json()) as { memberCount: number }).memberCount;
      const query = await timed(() => services.members.figures(o), RUNS);
      let cteCount = 0;
      const cte = await timed(async () => {
        const r = await sql<{ n: number }>`with recursive sub as (select id from org where id = ${o.id} union all select c.id from org c join sub on c.parent_id = sub.id)
          select count(*)::bigint as n from membership m where m.status = 'active' and m.org_id in (select id from sub)`.execute(db.db);
        cteCount = Number(r.rows[0]?.n);
      }, baseRuns);
      const like = await timed(() => sql`select count(*) from membership m join org g on g.id = m.org_id where g.path like ${`${o.path}%`} and m.status = 'active'`.execute(db.db), baseRuns);
      const ratio = Math.min(cte.p50, like.p50) / query.p50;
      out.push(`| ${o.name} | ${ms(ours.p50)} | ${ms(ours.p95)} | ${ms(query.p50)} | ${ms(cte.p50)} | ${ms(like.p50)} | ${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}× | ${figure === cteCount ? `yes (${figure.toLocaleString('en')})` : `NO: ${figure} vs ${cteCount}`} |`);
    }
    out.push('');

    // --- list and search under load ---
    const sample = await db.db.selectFrom('membership as m').innerJoin('person as p', 'p.id', 'm.person_id').select(['m.id', 'p.id_enc', 'p.name'])
      .where('m.status', '=', 'active').where('m.org_path', 'like', `${county.path}%`).orderBy('m.id').limit(1).offset(7).executeTakeFirstOrThrow();
    const idNumber = pii.decrypt(sample.id_enc);
    const mid = await db.db.selectFrom('membership').select((eb) => eb.fn.max('id').as('max')).executeTakeFirstOrThrow();
    const deep = encodeCursor({ id: Math.floor(Number(mid.max) / 2) });
    // the surname searches ask for the county's commonest surname (王 in real data, ≈7 % of people): the most matches to page through
    const common = await sql<{ c: string }>`select substr(name, 1, 1) as c from membership where status = 'active' and org_path like ${`${county.path}%`}
      group by 1 order by count(*) desc limit 1`.execute(db.db);
    const surname = common.rows[0]?.c ?? '王';
    // as the admin roster asks (view=summary: the table's columns), and once the whole records (the API's default)
    const cases: Array<[string, string, Record<string, string>]> = [
      ['county officer: first page of 50', '/api/members?limit=50&view=summary', cty],
      ['county officer: first page of 50, whole records (view=full)', '/api/members?limit=50', cty],
      ['province admin: first page of 50', '/api/members?limit=50&view=summary', prov],
      ['province admin: deep keyset page (cursor at the middle id)', `/api/members?limit=50&view=summary&cursor=${deep}`, prov],
      ['province admin: exact ID number (blind index)', `/api/members?view=summary&q=${idNumber}`, prov],
      [`county officer: name search “${surname}”`, `/api/members?limit=50&view=summary&q=${encodeURIComponent(surname)}`, cty],
      [`province admin: name search “${sample.name}”`, `/api/members?limit=50&view=summary&q=${encodeURIComponent(sample.name)}`, prov],
      [`province admin: name search “${surname}” (one character, all the province's)`, `/api/members?limit=50&view=summary&q=${encodeURIComponent(surname)}`, prov],
      ['county officer: last four of the ID', `/api/members?limit=50&view=summary&q=${idNumber.slice(-4)}`, cty],
      [`city admin: name search “${surname}” (one character, all the city's)`, `/api/members?limit=50&view=summary&q=${encodeURIComponent(surname)}`, cit],
      ['street officer: first page of 50', '/api/members?limit=50&view=summary', str],
      [`street officer: name search “${surname}”`, `/api/members?limit=50&view=summary&q=${encodeURIComponent(surname)}`, str],
    ];
    const baseline = url !== undefined && hasPgbench();
    out.push(`#### Member list and search under load (autocannon, 32 connections, ${DURATION} s each, ${ROUNDS} rounds)`, '',
      `Every request is loaded once per round, the rounds one after another (so a slow minute of this shared machine does not fall on one request alone); each row is the round with the median requests/s, its range over the rounds beside it.`, '',
      ...(baseline ? ['Baseline: the database alone — the SQL statements the same request runs (recorded from the driver, parameters written in), replayed by pgbench with 32 clients for as long, each statement prepared once per client (no planning per request); its throughput is the most the HTTP layer could reach on this machine.', ''] : []),
      `| request | requests/s (range) | p50 | p95 | p97.5 | non-2xx${baseline ? ' | database alone: tx/s, p50, p95 | ratio (ours / database alone, requests/s)' : ''} |`,
      `|---|---|---|---|---|---|${baseline ? '---|---|' : ''}`);
    // dirty pages left by what ran before (the import benchmark's million rows, the generator's vacuum) are
    // written out now, not by the checkpointer in the middle of the loads
    if (url) await sql`checkpoint`.execute(db.db);
    const runs = cases.map(() => [] as Array<Awaited<ReturnType<typeof load>>>);
    const recorded: Array<Awaited<ReturnType<typeof recordStatements>>> = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, [name, path, headers]] of cases.entries()) {
        await new Promise((r) => setTimeout(r, 1500)); // the previous load's last requests drain first: only this request is recorded
        if (round === 0) {
          const once = async () => {
            const check = await fetch(`${base}${path}`, { headers });
            if (!check.ok) throw new Error(`${name}: ${check.status} ${await check.text()}`);
            await check.arrayBuffer();
          };
          await once(); // may refresh the session's last-seen time (at most every 30 s): not part of the steady state
          recorded.push(await recordStatements(once));
        }
        await load(`${base}${path}`, headers, 2); // warm-up, not recorded: each pooled connection prepares its statements, caches fill
        runs[i]?.push(await load(`${base}${path}`, headers));
      }
    }
    for (const [i, [name]] of cases.entries()) {
      const sorted = [...(runs[i] ?? [])].sort((a, b) => a.rps - b.rps);
      const r = sorted[Math.floor(sorted.length / 2)];
      const statements = recorded[i];
      if (!r || !statements) throw new Error(`${name}: no runs`);
      const range = `${Math.round(sorted[0]?.rps ?? 0).toLocaleString('en')}–${Math.round(sorted[sorted.length - 1]?.rps ?? 0).toLocaleString('en')}`;
      let cells = '';
      if (baseline && url) {
        const b = pgbench(url, statements, 32, DURATION);
        cells = ` | ${Math.round(b.tps).toLocaleString('en')}, ${ms(b.p50)}, ${ms(b.p95)} (${statements.length} statements) | ${(r.rps / b.tps).toFixed(2)}`;
      }
      const errors = (runs[i] ?? []).reduce((n, x) => n + x.non2xx + x.errors, 0);
      out.push(`| ${name} | ${Math.round(r.rps).toLocaleString('en')} (${range}) | ${r.p50} ms | ${r.p95} ms | ${r.p97} ms | ${errors}${cells} |`);
    }
    out.push('');

    // --- each plan beside the plan the service takes without it ---
    out.push(...await plansBeside(db, pii, services, config, boot.rootPath, [
      ['county', 'county officer: first page of 50', '/api/members?limit=50&view=summary', cty],
      ['county', `county officer: name search “${surname}”`, `/api/members?limit=50&view=summary&q=${encodeURIComponent(surname)}`, cty],
      ['countyWalk', 'street officer: first page of 50', '/api/members?limit=50&view=summary', str],
      ['idWalk', 'province admin: first page of 50', '/api/members?limit=50&view=summary', prov],
      ['idWalk', 'city admin: first page of 50', '/api/members?limit=50&view=summary', cit],
      ['idWalk', 'province admin: deep keyset page', `/api/members?limit=50&view=summary&cursor=${deep}`, prov],
      ['initialWalk', `province admin: name search “${surname}”`, `/api/members?limit=50&view=summary&q=${encodeURIComponent(surname)}`, prov],
      ['initialWalk', `city admin: name search “${surname}”`, `/api/members?limit=50&view=summary&q=${encodeURIComponent(surname)}`, cit],
      ['initial', `street officer: name search “${surname}”`, `/api/members?limit=50&view=summary&q=${encodeURIComponent(surname)}`, str],
      ['name', `province admin: name search “${sample.name}”`, `/api/members?limit=50&view=summary&q=${encodeURIComponent(sample.name)}`, prov],
      ['exact', 'province admin: exact ID number', `/api/members?view=summary&q=${idNumber}`, prov],
      ['exact', 'county officer: last four of the ID', `/api/members?limit=50&view=summary&q=${idNumber.slice(-4)}`, cty],
    ]));

    // --- framework overhead ---
    const bare = Fastify({ logger: false });
    bare.get('/bare/dictionaries/:type', async (req) => {
      const rows = await db.db.selectFrom('dictionary_item').selectAll().where('type', '=', (req.params as { type: string }).type).where('enabled', '=', true).orderBy('sort').orderBy('code').execute();
      return rows.map((r) => ({ code: r.code, label: r.label }));
    });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareAddr = bare.server.address();
    const bareBase = `http://127.0.0.1:${typeof bareAddr === 'object' && bareAddr ? bareAddr.port : 0}`;
    const oursRoute = await load(`${base}/api/dictionaries/education`, {});
    const bareRoute = await load(`${bareBase}/bare/dictionaries/education`, {});
    await bare.close();
    out.push('#### Framework overhead: one read route (`GET /api/dictionaries/education`, same query)', '',
      '| server | requests/s | p50 | p95 |', '|---|---|---|---|',
      `| ours (access hook, security headers, schema serialisation, error handling, rate-limit plugin) | ${Math.round(oursRoute.rps).toLocaleString('en')} | ${oursRoute.p50} ms | ${oursRoute.p95} ms |`,
      `| bare Fastify route, same Kysely query | ${Math.round(bareRoute.rps).toLocaleString('en')} | ${bareRoute.p50} ms | ${bareRoute.p95} ms |`,
      '', `Ratio (ours / bare, requests/s): ${(oursRoute.rps / bareRoute.rps).toFixed(2)}.`, '');
  } finally {
    await app.close();
  }
  return out;
}

type PlanCase = [PlanKind, string, string, Record<string, string>];

/**
 * Each list plan beside the plan the service takes without it (list-plan.ts: a plan left out falls
 * back to the next simpler one), on the same database in the same run: two servers, one with every
 * plan and one without the measured plan, each request loaded on both in turn, ROUNDS rounds. A
 * plan that does not pay 15 % in requests/s is removed with its index (the project's rule).
 */
async function plansBeside(db: Db, pii: PiiCipher, services: ReturnType<typeof buildServices>, config: ReturnType<typeof loadConfig>, rootPath: string, cases: PlanCase[]): Promise<string[]> {
  const servers = new Map<string, { base: string; last: () => string; close: () => Promise<void> }>();
  async function serve(key: string, plans: ReadonlySet<PlanKind>) {
    const hit = servers.get(key);
    if (hit) return hit;
    let last = '';
    const members = createMemberService({ db: db.db, pii, orgs: services.orgs, dictionaries: services.dictionaries, plans, onPlan: (p) => { last = p.kind; } });
    const app = await buildApp({ db, config, rootPath, services: { ...services, members }, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    const s = { base: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, last: () => last, close: () => app.close() };
    servers.set(key, s);
    return s;
  }
  const out = [`#### Each list plan beside the plan taken without it (autocannon, 32 connections, ${DURATION} s each, ${ROUNDS} rounds)`, '',
    'Two servers on the same database: one with every plan, one without the plan measured (the member service then takes the next simpler plan, list-plan.ts); each request is loaded on both in turn, the median round shown with the range over the rounds. A plan must pay at least 15 % in requests/s to stay.', '',
    '| plan | request | with it: requests/s (range), p95 | without it: plan taken, requests/s (range), p95 | ratio (with / without) |', '|---|---|---|---|---|'];
  try {
    const full = await serve('all', ALL_PLANS);
    const rows = cases.map(() => ({ with: [] as Array<Awaited<ReturnType<typeof load>>>, without: [] as Array<Awaited<ReturnType<typeof load>>>, plans: ['', ''] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, [plan, name, url, headers]] of cases.entries()) {
        const fallback = await serve(plan, new Set([...ALL_PLANS].filter((k) => k !== plan)));
        const row = rows[i];
        if (!row) continue;
        for (const [side, server] of [['with', full], ['without', fallback]] as const) {
          await new Promise((r) => setTimeout(r, 1500));
          const check = await fetch(`${server.base}${url}`, { headers });
          if (!check.ok) throw new Error(`${name}: ${check.status} ${await check.text()}`);
          await check.arrayBuffer();
          row.plans[side === 'with' ? 0 : 1] = server.last();
          if (side === 'with' && server.last() !== plan) throw new Error(`${name}: took ${server.last()}, not the ${plan} plan it measures`);
          await load(`${server.base}${url}`, headers, 2);
          row[side].push(await load(`${server.base}${url}`, headers));
        }
      }
    }
    const median = (xs: Array<Awaited<ReturnType<typeof load>>>) => {
      const sorted = [...xs].sort((a, b) => a.rps - b.rps);
      const r = sorted[Math.floor(sorted.length / 2)];
      if (!r) throw new Error('no runs');
      return { r, range: `${Math.round(sorted[0]?.rps ?? 0).toLocaleString('en')}–${Math.round(sorted[sorted.length - 1]?.rps ?? 0).toLocaleString('en')}` };
    };
    for (const [i, [plan, name]] of cases.entries()) {
      const row = rows[i];
      if (!row) continue;
      const a = median(row.with);
      const b = median(row.without);
      out.push(`| ${plan} | ${name} | ${Math.round(a.r.rps).toLocaleString('en')} (${a.range}), ${a.r.p95} ms | ${row.plans[1]}: ${Math.round(b.r.rps).toLocaleString('en')} (${b.range}), ${b.r.p95} ms | ${(a.r.rps / b.r.rps).toFixed(2)} |`);
    }
    out.push('');
  } finally {
    for (const s of servers.values()) await s.close();
  }
  return out;
}

async function main() {
  const sections: Array<[string, string[]]> = [];
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const dataDir = process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), 'ghprov');
    const key = loadOrCreatePiiKey(process.env.GONGHUI_PII_KEY, dataDir);
    // the server's own pool size (DATABASE_POOL_SIZE, default two per core), so the bench measures what runs
    const db = connectPostgres(url, loadConfig({ ...process.env, DATABASE_URL: url }).databasePoolSize);
    try {
      await migrate(db.db); // a province generated by an older build gets this build's indexes
      sections.push(['members-postgres', await benchOn('PostgreSQL', db, createPiiCipher(key.key), dataDir, url)]);
    } finally {
      await db.close();
    }
  }
  if (process.env.BENCH_PGLITE !== '0') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-bench-lite-'));
    const db = await connectPglite(path.join(dir, 'pglite'));
    try {
      await migrate(db.db);
      const config = loadConfig({ GONGHUI_DEMO: '0', DATA_DIR: dir, GONGHUI_ADMIN_PASSWORD: PASSWORD });
      const pii = createPiiCipher(loadOrCreatePiiKey(undefined, dir).key);
      configureAuditKey(auditKeyFrom(masterKeyOf(pii)));
      const boot = await bootstrap(db.db, config);
      const services = buildServices(db, config, boot, pii);
      await services.dictionaries.seed();
      const root = await db.db.selectFrom('org').select(['id', 'path', 'depth']).where('id', '=', boot.rootId).executeTakeFirstOrThrow();
      const n = Number(process.env.BENCH_PGLITE_MEMBERS ?? 200_000);
      await generateProvince(db, pii, root, { members: n, orgs: Math.max(1500, Math.round(n / 40)), seed: 2351, provinceCode: '210000', tickets: 0 }, () => {});
      sections.push(['members-pglite', await benchOn('PGlite', db, pii, dir)]);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const findings = fs.existsSync('bench/members.findings.md') ? fs.readFileSync('bench/members.findings.md', 'utf8') : '';
  for (const [name, lines] of sections) {
    if (name === 'members-postgres' && findings) lines.push(findings);
    const doc = [`## Members at province scale (\`npm run bench:members\`, ${name.endsWith('postgres') ? 'PostgreSQL' : 'PGlite'})`, '', `Sequential timings: p50/p95 of ${RUNS} runs after one warm-up (baselines: ${Math.max(3, Math.round(RUNS / 4))} runs).`, '', ...lines].join('\n');
    writeSection(name, doc);
    console.log(doc);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
