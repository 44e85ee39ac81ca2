import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/connect.js';
import { createTestDb } from '../../../test/helpers/db.js';
import { recordAudit, systemActor, verifyAuditChain } from './audit.js';

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  for (let i = 0; i < 5; i++) {
    await db.db.transaction().execute((trx) =>
      recordAudit(trx, systemActor, { action: 'test.write', entityType: 'thing', entityId: i, org: { id: 1, path: '/1/' }, before: { n: i, z: 'a', a: 'z' }, after: { n: i + 1 } }),
    );
  }
});
afterAll(async () => db?.close());

describe('hash-chained audit log', () => {
  it('verifies an intact chain', async () => {
    const res = await verifyAuditChain(db.db);
    expect(res).toMatchObject({ ok: true, checked: 5, problems: [] });
  });

  it('is append-only in the database itself', async () => {
    await expect(sql`update audit_log set action = 'x' where id = 1`.execute(db.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where id = 1`.execute(db.db)).rejects.toThrow(/append-only/);
  });

  it('a rolled-back write leaves no audit record', async () => {
    await expect(db.db.transaction().execute(async (trx) => {
      await recordAudit(trx, systemActor, { action: 'test.rollback', entityType: 'thing', entityId: 9, org: null });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    const n = await db.db.selectFrom('audit_log').select('id').where('action', '=', 'test.rollback').execute();
    expect(n).toHaveLength(0);
  });

  it('detects a tampered row and a deleted row', async () => {
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db.db);
    await sql`update audit_log set after = '{"n": 99}'::jsonb where id = 2`.execute(db.db);
    let res = await verifyAuditChain(db.db);
    expect(res.ok).toBe(false);
    expect(res.problems).toEqual([{ id: 2, problem: expect.stringContaining('篡改') }]);
    await sql`delete from audit_log where id = 4`.execute(db.db);
    res = await verifyAuditChain(db.db);
    expect(res.problems.map((p) => p.id)).toEqual([2, 5]);
    expect(res.problems[1]?.problem).toContain('缺失');
  });
});
