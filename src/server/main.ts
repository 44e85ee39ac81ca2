import fs from 'node:fs';
import { buildApp, buildServices } from './app.js';
import { bootstrap } from './bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import { connect } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { DEMO_PASSWORD, DEMO_WORKER_PHONE, demoAccountsActive, loadDemo } from './demo.js';
import { startImportWorker } from './modules/member-imports/import-worker.js';
import { configureAuditKey } from './platform/audit.js';
import { auditKeyFrom, createPiiCipher, loadOrCreatePiiKey } from './platform/crypto.js';

/** Reads config, opens the database, migrates, bootstraps, and listens. */
async function main() {
  // Everything this process writes (the embedded database, key files, uploaded rosters holding PII
  // in clear) is readable by its own user only: files 0600, directories 0700.
  process.umask(0o077);
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`配置错误 (configuration error): ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  if ((fs.statSync(config.dataDir).mode & 0o077) !== 0) console.warn(`  警告: 数据目录 ${config.dataDir} 可被其他用户访问，请执行 chmod 700`);
  const db = await connect(config);
  await migrate(db.db);
  const key = loadOrCreatePiiKey(config.piiKey, config.dataDir);
  if (key.generatedFile) console.log(`  已生成个人信息加密主密钥: ${key.generatedFile} (keep it safe and backed up; set GONGHUI_PII_KEY in production)`);
  // the audit chain is keyed from the master key, which lives outside the database
  configureAuditKey(auditKeyFrom(key.key));
  const boot = await bootstrap(db.db, config);
  const services = buildServices(db, config, boot, createPiiCipher(key.key));
  await services.dictionaries.seed();
  await services.calendar.seed();
  if (boot.generatedPassword) {
    // Printed once, to stdout only, on the start that created the account.
    console.log(`\n  管理员账号已创建: admin / ${boot.generatedPassword}\n  (set GONGHUI_ADMIN_PASSWORD to choose it; this is shown only once)\n`);
  }
  if (boot.created && config.demo) {
    const t = Date.now();
    const demo = await loadDemo(services, boot.rootId, config.root.level);
    console.log(`  演示数据已载入: ${demo.orgs} 个工会, ${demo.members} 名会员, 账号 ${demo.users.join(', ')}, 职工账号 ${DEMO_WORKER_PHONE} (密码 ${DEMO_PASSWORD}) in ${Date.now() - t} ms\n`);
  }
  // Demo officers share a published password: while any of them can still sign in with it, the
  // server stays on the loopback address unless HOST is set, and the console says it is a demo.
  const demo = await demoAccountsActive(db.db);
  const host = config.host ?? (demo ? '127.0.0.1' : '0.0.0.0');
  if (demo) console.log(`  演示模式: 演示账号使用公开密码，服务只监听 ${host}${config.host ? '' : '（设置 HOST 可改变；正式部署请停用演示账号）'}`);
  const app = await buildApp({ db, config, rootPath: boot.rootPath, services, demo });
  // Periodic tasks (the hotline's and the reviews' overdue sweeps, the session purge) run on the one
  // server holding the scheduler's lease; their schedule lives in the database, so it survives restarts.
  const stopScheduler = services.scheduler.start(5000, (task, err) => app.log.error({ err, task }, 'periodic task failed'));
  // Roster imports run in the background: on PostgreSQL in their own thread with a bounded heap; on the
  // embedded database (one connection, in this process) in this thread. A job left running by a
  // stopped process is taken over when its heartbeat goes stale.
  const importer = db.engine === 'postgres' && config.databaseUrl
    ? startImportWorker({ databaseUrl: config.databaseUrl, piiKey: key.key, dataDir: config.dataDir, rootPath: boot.rootPath, rootLevel: boot.rootLevel, pollMs: 1000 }, app.log)
    : (() => { const stop = services.imports.start(1000, (err) => app.log.error({ err }, 'import job failed')); return { stop: async () => { stop(); } }; })();
  const close = async () => {
    await stopScheduler();
    await importer.stop();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void close());
  process.on('SIGTERM', () => void close());
  await app.listen({ port: config.port, host });
  app.log.info({ database: db.engine, dataDir: db.engine === 'pglite' ? config.dataDir : undefined }, 'Gonghui is listening');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
