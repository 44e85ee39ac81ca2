import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Database } from './db/types.js';
import { recordAudit, systemActor } from './platform/audit.js';
import { assertStrongPassword, hashPassword } from './platform/password.js';
import * as orgRepo from './modules/orgs/repo.js';
import * as accountRepo from './modules/accounts/repo.js';
import { countySegmentsOf, ensureCountyIndexes } from './modules/members/repo.js';
import type { OrgLevel } from '../common/enums.js';

export interface BootstrapResult {
  rootId: number;
  rootPath: string;
  /** The root union's level (national or province): how deep the unions below it sit. */
  rootLevel: OrgLevel;
  /** True when this call created the root union (the database was new). */
  created: boolean;
  /** The generated admin password, when none was configured (print it once). */
  generatedPassword?: string;
}

/** A password that meets the policy: 16 characters of letters, digits and a symbol. */
export function generatePassword(): string {
  const base = randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
  return `${base.slice(0, 12)}Aa1!`;
}

/**
 * On an empty database: creates the root union and the `admin` account holding the admin role
 * there. Idempotent: later starts only return the root. (Seeds run with system rights.) Then makes
 * the indexes whose shape depends on the root's level (the member list's county indexes).
 */
export async function bootstrap(db: Kysely<Database>, config: Pick<Config, 'root' | 'adminPassword'>): Promise<BootstrapResult> {
  const existing = await orgRepo.findRoot(db);
  if (existing) {
    const rootLevel = existing.level as OrgLevel;
    await ensureCountyIndexes(db, countySegmentsOf(rootLevel));
    return { rootId: existing.id, rootPath: existing.path, rootLevel, created: false };
  }
  const password = config.adminPassword ?? generatePassword();
  assertStrongPassword(password, { username: 'admin' });
  const passwordHash = await hashPassword(password);
  const root = await db.transaction().execute(async (trx) => {
    const org = await orgRepo.insert(trx, {
      parent_id: null, name: config.root.name, level: config.root.level, kind: 'federation',
      region_code: config.root.regionCode, credit_code: null, industry_org_id: null,
    }, null);
    const admin = await accountRepo.insert(trx, { username: 'admin', name: '系统管理员', password_hash: passwordHash });
    await accountRepo.insertRole(trx, admin.id, org.id, 'admin');
    await recordAudit(trx, systemActor, { action: 'system.bootstrap', entityType: 'org', entityId: org.id, org, after: { name: org.name, admin: 'admin' } });
    return org;
  });
  await ensureCountyIndexes(db, countySegmentsOf(config.root.level));
  return {
    rootId: root.id, rootPath: root.path, rootLevel: config.root.level, created: true,
    ...(config.adminPassword ? {} : { generatedPassword: password }),
  };
}
