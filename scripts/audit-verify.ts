import fs from 'node:fs';
import { loadConfig } from '../src/server/config.js';
import { connect } from '../src/server/db/connect.js';
import { verifyAuditChain } from '../src/server/platform/audit.js';
import { auditKeyFrom, readPiiKey } from '../src/server/platform/crypto.js';

/**
 * `npm run audit:verify [-- --head-file FILE] [-- --head HASH]`: recomputes the audit chain (keyed
 * rows with the key derived from the master key) and exits 1 when a row was edited or removed.
 * With --head-file, the file's last line (written by an earlier run) must still be in the chain —
 * this catches the newest rows deleted — and the current head is appended to it: run it daily
 * from cron and keep the file off the database server.
 */
const args = process.argv.slice(2);
const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const headFile = arg('--head-file');
let head = arg('--head');
if (headFile && fs.existsSync(headFile)) {
  const last = fs.readFileSync(headFile, 'utf8').trim().split('\n').filter(Boolean).pop();
  head ??= last?.split(/\s+/)[2];
}
const config = loadConfig();
const masterKey = readPiiKey(config.piiKey, config.dataDir);
if (!masterKey) console.error('警告: 找不到主密钥（GONGHUI_PII_KEY 或 DATA_DIR/pii.key），带密钥的记录无法校验');
const db = await connect(config);
const res = await verifyAuditChain(db.db, { key: masterKey ? auditKeyFrom(masterKey) : null, ...(head ? { head } : {}) });
if (res.ok) {
  console.log(`审计日志校验通过: ${res.checked} 条记录, 链头 #${res.headId} 哈希 ${res.headHash}${head ? '（含此前记下的链头）' : ''}`);
  if (headFile) fs.appendFileSync(headFile, `${new Date().toISOString()} ${res.headId} ${res.headHash}\n`, { mode: 0o600 });
} else {
  console.error(`审计日志校验失败: ${res.problems.length} 处问题 (共 ${res.checked} 条)`);
  for (const p of res.problems.slice(0, 50)) console.error(`  #${p.id}: ${p.problem}`);
}
await db.close();
process.exit(res.ok ? 0 : 1);
