/**
 * `npm run gen -- --members 7863165 --orgs 52306 [--seed 2351] [--province 210000] [--tickets N]`
 * builds a realistic province into the configured database (DATABASE_URL, or PGlite in DATA_DIR),
 * which must hold no province yet. Deterministic from the seed.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { bootstrap } from '../src/server/bootstrap.js';
import { loadConfig } from '../src/server/config.js';
import { connect } from '../src/server/db/connect.js';
import { migrate } from '../src/server/db/migrate.js';
import { auditKeyFrom, createPiiCipher, loadOrCreatePiiKey } from '../src/server/platform/crypto.js';
import { buildServices } from '../src/server/app.js';
import { generateProvince } from './generate/province.js';
import { configureAuditKey } from '../src/server/platform/audit.js';

async function main() {
  const { values } = parseArgs({
    options: {
      members: { type: 'string', default: '100000' }, orgs: { type: 'string', default: '5000' }, seed: { type: 'string', default: '2351' },
      province: { type: 'string', default: '210000' }, tickets: { type: 'string' },
    },
  });
  const members = Number(values.members);
  const orgs = Number(values.orgs);
  if (!Number.isInteger(members) || members < 0 || !Number.isInteger(orgs) || orgs < 1) throw new Error('--members and --orgs must be whole numbers');
  const tickets = values.tickets !== undefined ? Number(values.tickets) : Math.round(members / 80);
  const config = loadConfig({ ...process.env, GONGHUI_DEMO: '0' });
  const db = await connect(config);
  await migrate(db.db);
  const key = loadOrCreatePiiKey(config.piiKey, config.dataDir);
  const pii = createPiiCipher(key.key);
  configureAuditKey(auditKeyFrom(key.key));
  const boot = await bootstrap(db.db, config);
  const services = buildServices(db, config, boot, pii);
  await services.dictionaries.seed();
  await services.calendar.seed();
  const existing = await db.db.selectFrom('org').select((eb) => eb.fn.countAll<number>().as('n')).where('level', '=', 'province').executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) throw new Error('this database already holds a province; generate into a fresh one (set DATABASE_URL or DATA_DIR)');
  const root = await db.db.selectFrom('org').select(['id', 'path', 'depth']).where('id', '=', boot.rootId).executeTakeFirstOrThrow();
  console.log(`Generating into ${db.engine}: ${members.toLocaleString('en')} members, ${orgs.toLocaleString('en')} unions, seed ${values.seed}`);
  const t = Date.now();
  const r = await generateProvince(db, pii, root, { members, orgs, seed: Number(values.seed), provinceCode: values.province ?? '210000', tickets }, console.log);
  const check = await sql<{ counted: number; counters: number }>`
    select (select count(*) from membership where status = 'active')::bigint as counted, (select coalesce(sum(active), 0) from member_count)::bigint as counters`.execute(db.db);
  console.log(`Done in ${((Date.now() - t) / 1000).toFixed(1)} s: province union id ${r.province.id}; active memberships ${Number(check.rows[0]?.counted).toLocaleString('en')}, counters say ${Number(check.rows[0]?.counters).toLocaleString('en')}`);
  await db.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
