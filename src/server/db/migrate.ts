import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './types.js';
import * as m0001 from './migrations/0001_platform.js';
import * as m0002 from './migrations/0002_hotline.js';
import * as m0003 from './migrations/0003_ticket_path.js';
import * as m0004 from './migrations/0004_members.js';
import * as m0005 from './migrations/0005_member_covering_indexes.js';
import * as m0006 from './migrations/0006_member_initial_index.js';
import * as m0007 from './migrations/0007_member_county_index.js';
import * as m0008 from './migrations/0008_member_initial_walk_index.js';
import * as m0009 from './migrations/0009_hardening.js';
import * as m0010 from './migrations/0010_citus_keys.js';
import * as m0011 from './migrations/0011_money_fen.js';
import * as m0012 from './migrations/0012_notifications.js';
import * as m0013 from './migrations/0013_attachments.js';
import * as m0014 from './migrations/0014_worker_accounts.js';
import * as m0015 from './migrations/0015_workflow_events.js';
import * as m0016 from './migrations/0016_review_steps.js';
import * as m0017 from './migrations/0017_publicity.js';
import * as m0018 from './migrations/0018_jobs.js';
import * as m0019 from './migrations/0019_worker_otp.js';

/** Every migration, in order. Forward-only: a shipped migration is never edited. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_platform': m0001,
  '0002_hotline': m0002,
  '0003_ticket_path': m0003,
  '0004_members': m0004,
  '0005_member_covering_indexes': m0005,
  '0006_member_initial_index': m0006,
  '0007_member_county_index': m0007,
  '0008_member_initial_walk_index': m0008,
  '0009_hardening': m0009,
  '0010_citus_keys': m0010,
  '0011_money_fen': m0011,
  '0012_notifications': m0012,
  '0013_attachments': m0013,
  '0014_worker_accounts': m0014,
  '0015_workflow_events': m0015,
  '0016_review_steps': m0016,
  '0017_publicity': m0017,
  '0018_jobs': m0018,
  '0019_worker_otp': m0019,
};

class StaticProvider implements MigrationProvider {
  async getMigrations() { return MIGRATIONS; }
}

/** Brings the schema up to date; throws on the first failing migration (nothing half-applied). */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
