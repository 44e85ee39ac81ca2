import { loadConfig } from '../src/server/config.js';
import { connect } from '../src/server/db/connect.js';
import { verifyAuditChain } from '../src/server/platform/audit.js';

/** `npm run audit:verify`: recomputes the audit hash chain; exits 1 when any row was edited or removed. */
const config = loadConfig();
const db = await connect(config);
const res = await verifyAuditChain(db.db);
if (res.ok) {
  console.log(`审计日志校验通过: ${res.checked} 条记录, 链头哈希 ${res.headHash}`);
} else {
  console.error(`审计日志校验失败: ${res.problems.length} 处问题 (共 ${res.checked} 条)`);
  for (const p of res.problems.slice(0, 50)) console.error(`  #${p.id}: ${p.problem}`);
}
await db.close();
process.exit(res.ok ? 0 : 1);
