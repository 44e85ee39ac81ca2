import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/connect.js';
import { createTestDb, TEST_AUDIT_KEY } from '../../../test/helpers/db.js';
import { canonicalJson, chainHash, recordAudit, systemActor, verifyAuditChain } from './audit.js';
import { auditKeyFrom } from './crypto.js';

let db: Db;
const key = TEST_AUDIT_KEY;
beforeAll(async () => {
  db = await createTestDb();
  for (let i = 0; i < 5; i++) {
    await db.db.transaction().execute((trx) =>
      recordAudit(trx, systemActor, { action: 'dictionary.put', entityType: 'thing', entityId: i, org: { id: 1, path: '/1/' }, before: { n: i, z: 'a', a: 'z' }, after: { n: i + 1 } }),
    );
  }
});
afterAll(async () => db?.close());

type Row = Awaited<ReturnType<typeof rows>>[number];
const rows = () => db.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
const fieldsOf = (r: Row) => ({ at: r.at, actorId: r.actor_id, actorName: r.actor_name, orgId: r.org_id, orgPath: r.org_path, action: r.action, entityType: r.entity_type, entityId: r.entity_id, before: r.before, after: r.after, requestId: r.request_id, ip: r.ip });
const unlocked = async (fn: () => Promise<unknown>) => {
  await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db.db);
  try { await fn(); } finally { await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db.db); }
};

describe('hash-chained audit log', () => {
  it('verifies an intact chain, every row keyed', async () => {
    const res = await verifyAuditChain(db.db, { key });
    expect(res).toMatchObject({ ok: true, checked: 5, problems: [] });
    expect((await rows()).every((r) => r.keyed)).toBe(true);
  });

  it('is append-only in the database itself', async () => {
    await expect(sql`update audit_log set action = 'x' where id = 1`.execute(db.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where id = 1`.execute(db.db)).rejects.toThrow(/append-only/);
  });

  it('a rolled-back write leaves no audit record', async () => {
    await expect(db.db.transaction().execute(async (trx) => {
      await recordAudit(trx, systemActor, { action: 'calendar.set', entityType: 'thing', entityId: 9, org: null });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    const n = await db.db.selectFrom('audit_log').select('id').where('action', '=', 'calendar.set').execute();
    expect(n).toHaveLength(0);
  });

  it('detects an edit whose hashes were recomputed without the key, and a rewrite with plain hashes', async () => {
    const [, second] = await rows();
    if (!second) throw new Error('no row 2');
    const after = { n: 99 };
    // an attacker who can edit the database recomputes the row's hash — with SHA-256, or with a guessed key
    for (const forged of [
      createHash('sha256').update(second.prev_hash).update('\n').update(canonicalJson({ ...fieldsOf(second), after })).digest('hex'),
      chainHash(second.prev_hash, { ...fieldsOf(second), after }, auditKeyFrom('ff'.repeat(32))),
    ]) {
      await unlocked(() => sql`update audit_log set after = ${JSON.stringify(after)}::jsonb, hash = ${forged} where id = ${second.id}`.execute(db.db));
      const res = await verifyAuditChain(db.db, { key });
      expect(res.ok).toBe(false);
      expect(res.problems[0]).toEqual({ id: second.id, problem: expect.stringContaining('篡改') });
    }
    // marking it an old, unkeyed row does not help either
    await unlocked(() => sql`update audit_log set keyed = false, hash = ${createHash('sha256').update(second.prev_hash).update('\n').update(canonicalJson({ ...fieldsOf(second), after })).digest('hex')} where id = ${second.id}`.execute(db.db));
    const res = await verifyAuditChain(db.db, { key });
    expect(res.problems.map((p) => p.problem).join()).toContain('不带密钥');
    // with the key (outside the database) the chain checks; without it, keyed rows cannot be checked
    await unlocked(() => sql`update audit_log set after = ${JSON.stringify(second.after)}::jsonb, hash = ${second.hash}, keyed = true where id = ${second.id}`.execute(db.db));
    expect((await verifyAuditChain(db.db, { key })).ok).toBe(true);
    expect((await verifyAuditChain(db.db, { key: null })).problems[0]?.problem).toContain('缺少审计密钥');
  });

  it('detects a deleted row, and the newest rows deleted against a head noted earlier', async () => {
    const before = await verifyAuditChain(db.db, { key });
    expect(before.ok).toBe(true);
    const head = before.headHash;
    expect((await verifyAuditChain(db.db, { key, head })).ok).toBe(true);
    await unlocked(async () => {
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db.db);
      await sql`delete from audit_log where id = (select max(id) from audit_log)`.execute(db.db);
    });
    const shorter = await verifyAuditChain(db.db, { key });
    expect(shorter.ok).toBe(true); // a shorter chain is a valid chain …
    const checked = await verifyAuditChain(db.db, { key, head });
    expect(checked.ok).toBe(false); // … but the head noted elsewhere is gone
    expect(checked.problems[0]?.problem).toContain('链头');
    await unlocked(() => sql`delete from audit_log where id = 3`.execute(db.db));
    const gap = await verifyAuditChain(db.db, { key });
    expect(gap.problems.map((p) => p.id)).toEqual([4]);
    expect(gap.problems[0]?.problem).toContain('缺失');
  });
});
