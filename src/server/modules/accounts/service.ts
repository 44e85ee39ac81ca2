import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../db/types.js';
import type { AuthInfo } from '../../platform/auth.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { AppError, appError, pgErrorInfo } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/pagination.js';
import { assertStrongPassword, dummyHash, hashPassword, verifyPassword } from '../../platform/password.js';
import { scopeContains, type Scope } from '../../platform/scope.js';
import type { Org } from '../orgs/schemas.js';
import type { OrgService } from '../orgs/service.js';
import type { CreateUserBody, UpdateUserBody, User } from './schemas.js';

import type { Caller } from '../../platform/caller.js';
import * as repo from './repo.js';

/**
 * Sign-in throttle (登录限制), per typed username and client address: from the 5th failure within
 * 15 minutes of each other the pair waits 30 s, doubling with each further failure up to 15 min.
 * A stranger guessing from elsewhere never locks the officer out, and a username that does not
 * exist is throttled exactly like one that does.
 */
export const THROTTLE = { blockAfter: 5, windowMinutes: 15, firstBlockSeconds: 30, maxBlockSeconds: 15 * 60 };

/** The key a typed username is throttled by (the same string typed again, whatever its case). */
export const usernameKey = (username: string) => createHash('sha256').update(username.trim().toLowerCase()).digest('hex');

export interface AuthServiceDeps {
  db: Kysely<Database>;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** 423 ACCOUNT_LOCKED until `until`, with Retry-After. */
function locked(until: Date) {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return appError('ACCOUNT_LOCKED', { retryAfterSeconds }, `登录失败次数过多，请 ${retryAfterSeconds >= 60 ? `${Math.ceil(retryAfterSeconds / 60)} 分钟` : `${retryAfterSeconds} 秒`}后再试`);
}

/**
 * The sign-in throttle for another kind of account (workers' phones): the same rule and table as
 * officers', keyed by a key of the caller's own namespace (e.g. SHA-256 of `worker:` + phone index).
 */
export function createSignInThrottle(db: Kysely<Database>) {
  return {
    /** Throws 423 while the key is blocked from this address. */
    async check(key: string, ip: string) {
      const t = await repo.findThrottle(db, key, ip);
      if (t?.blocked_until && t.blocked_until > new Date()) throw locked(t.blocked_until);
    },
    /** Counts a failure; returns the failures when it has just blocked the key (the caller audits and answers 423). */
    async fail(key: string, ip: string): Promise<{ blocked: boolean; failures: number; until: Date | null }> {
      const after = await repo.registerThrottleFailure(db, key, ip, THROTTLE);
      const blocked = !!after.blocked_until && after.blocked_until > new Date();
      return { blocked, failures: after.failures, until: after.blocked_until };
    },
    locked,
    clear: (key: string, ip: string) => repo.clearThrottle(db, key, ip),
  };
}
export type SignInThrottle = ReturnType<typeof createSignInThrottle>;

export function createAuthService({ db, sessionIdleMinutes, sessionMaxHours }: AuthServiceDeps) {
  const idleMs = sessionIdleMinutes * 60_000;
  const maxMs = sessionMaxHours * 3_600_000;
  const expiry = (createdAt: Date) => new Date(Math.min(Date.now() + idleMs, createdAt.getTime() + maxMs));
  const signIns = createSignInThrottle(db);

  async function loadAuth(sessionId: string, csrfToken: string, user: { id: number; username: string; name: string }): Promise<AuthInfo> {
    const roles = await repo.rolesOf(db, [user.id]);
    return {
      sessionId,
      csrfToken,
      user,
      roles: roles.map((r) => ({ role: r.role, orgId: r.org_id, orgName: r.org_name, orgPath: r.org_path })),
    };
  }

  return {
    /**
     * Signs an officer in. Unknown user and wrong password get the same answer and take the same
     * time (a password is verified either way); repeated failures of one typed username from one
     * address are throttled (THROTTLE), known or not, with 423 ACCOUNT_LOCKED and Retry-After.
     */
    async login(username: string, password: string, actor: Omit<Actor, 'userId' | 'username'>) {
      const key = usernameKey(username);
      const ip = actor.ip ?? 'unknown';
      const throttle = await repo.findThrottle(db, key, ip);
      if (throttle?.blocked_until && throttle.blocked_until > new Date()) throw locked(throttle.blocked_until);
      const user = await repo.findByUsername(db, username);
      const ok = await verifyPassword(user?.password_hash ?? await dummyHash(), password) && !!user;
      if (!ok || !user || user.disabled) {
        if (!ok) {
          const after = await repo.registerThrottleFailure(db, key, ip, THROTTLE);
          if (after.blocked_until && after.blocked_until > new Date()) {
            // recorded for a name that exists or not alike (the typed name itself is not kept)
            await db.transaction().execute((trx) =>
              recordAudit(trx, { ...actor, userId: user?.id ?? null, username: user?.username ?? null }, {
                action: 'auth.throttled', entityType: 'user', entityId: user?.id ?? null, org: null, after: { failures: after.failures },
              }),
            );
            throw locked(after.blocked_until);
          }
        }
        throw appError('BAD_CREDENTIALS');
      }
      await repo.clearThrottle(db, key, ip);
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const id = sha256(token);
      await repo.insertSession(db, { id, userId: user.id, csrfToken, expiresAt: expiry(new Date()) });
      await db.transaction().execute((trx) =>
        recordAudit(trx, { ...actor, userId: user.id, username: user.username }, {
          action: 'auth.login', entityType: 'user', entityId: user.id, org: null,
        }),
      );
      const auth = await loadAuth(id, csrfToken, { id: user.id, username: user.username, name: user.name });
      return { token, auth };
    },

    /** Resolves a cookie token to a live session, sliding its idle expiry; null when unknown or expired. */
    async authenticate(token: string): Promise<AuthInfo | null> {
      if (token.length > 100) return null;
      const id = sha256(token);
      const s = await repo.findLiveSession(db, id);
      if (!s || s.disabled) return null;
      if (Date.now() - s.last_seen_at.getTime() > 30_000) await repo.touchSession(db, id, expiry(s.created_at));
      return {
        sessionId: id, csrfToken: s.csrf_token, user: { id: s.user_id, username: s.username, name: s.name },
        roles: s.roles.map((r) => ({ role: r.role, orgId: r.org_id, orgName: r.org_name, orgPath: r.org_path })),
      };
    },

    async logout(sessionId: string) {
      await repo.deleteSession(db, sessionId);
    },

    /**
     * The signed-in officer changes their own password (the printed admin password too): the current
     * one must be right (a wrong one counts toward the sign-in throttle); the new one follows the
     * policy and differs; every other session of the account ends, this one stays.
     */
    async changePassword(a: { sessionId: string; user: { id: number; username: string } }, currentPassword: string, newPassword: string, actor: Actor) {
      const user = await repo.findByIdUnscoped(db, a.user.id);
      if (!user) throw appError('NOT_AUTHENTICATED');
      const key = usernameKey(user.username);
      const ip = actor.ip ?? 'unknown';
      await signIns.check(key, ip);
      if (!(await verifyPassword(user.password_hash, currentPassword))) {
        const after = await signIns.fail(key, ip);
        if (after.blocked && after.until) throw signIns.locked(after.until);
        throw appError('PASSWORD_CURRENT_WRONG');
      }
      assertStrongPassword(newPassword, { username: user.username });
      if (await verifyPassword(user.password_hash, newPassword)) throw appError('PASSWORD_UNCHANGED');
      const passwordHash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('app_user').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
        await trx.deleteFrom('session').where('user_id', '=', user.id).where('id', '!=', a.sessionId).execute();
        await recordAudit(trx, actor, { action: 'auth.password.change', entityType: 'user', entityId: user.id, org: null, after: { otherSessionsEnded: true } });
      });
    },

    async purgeExpiredSessions() {
      await repo.deleteExpired(db);
      await repo.purgeThrottle(db);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/* ---------------------------------------------------------------------------------------------
 * Account management (账号管理): officers see and manage accounts holding roles in their scope.
 * ------------------------------------------------------------------------------------------- */

export function createUserService({ db, orgs }: { db: Kysely<Database>; orgs: OrgService }) {
  /** `blocked`: the throttled username keys, when the caller looked them up for a whole page at once. */
  async function toUser(scope: Scope, u: UserRow, blocked?: Set<string>): Promise<User> {
    const roles = (await repo.rolesOf(db, [u.id])).filter((r) => scopeContains(scope, r.org_path));
    const key = usernameKey(u.username);
    return {
      id: u.id, username: u.username, name: u.name, disabled: u.disabled,
      locked: (blocked ?? await repo.blockedKeys(db, [key])).has(key),
      createdAt: u.created_at.toISOString(),
      roles: roles.map((r) => ({ id: r.id, orgId: r.org_id, orgName: r.org_name, role: r.role })),
    };
  }

  /** Every role the target holds must lie in the caller's scope before the caller may change the account. */
  async function assertFullyInScope(scope: Scope, userId: number) {
    const all = await repo.rolesOf(db, [userId]);
    if (all.some((r) => !scopeContains(scope, r.org_path))) throw appError('USER_SCOPE_PARTIAL');
  }

  async function orgInScope(caller: Caller, orgId: number) {
    try {
      return await orgs.get(caller, orgId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'ORG_NOT_FOUND') {
        throw appError('ORG_NOT_FOUND', { fields: { orgId: `工会 ${orgId} 不存在` } });
      }
      throw err;
    }
  }

  return {
    async list(caller: Caller, q: { q?: string; orgId?: number; limit?: number; cursor?: string }) {
      const { scope } = caller;
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, { id: 'id' });
      const rows = await repo.list(db, scope, { q: q.q, orgId: q.orgId, limit: limit + 1, afterId: after?.id });
      const p = page(rows, limit, (r) => ({ id: r.id }));
      const blocked = await repo.blockedKeys(db, p.items.map((u) => usernameKey(u.username)));
      return { items: await Promise.all(p.items.map((u) => toUser(scope, u, blocked))), nextCursor: p.nextCursor };
    },

    async get(caller: Caller, id: number): Promise<User> {
      const { scope } = caller;
      const u = await repo.findById(db, scope, id);
      if (!u) throw appError('USER_NOT_FOUND');
      return toUser(scope, u);
    },

    /** Creates an officer account; every role must be on a union inside the caller's scope (else 404). */
    async create(caller: Caller, body: CreateUserBody): Promise<User> {
      const { scope, actor } = caller;
      assertStrongPassword(body.password, { username: body.username });
      const passwordHash = await hashPassword(body.password);
      const targets: Org[] = [];
      for (const r of body.roles) targets.push(await orgInScope(caller, r.orgId));
      const user = await db.transaction().execute(async (trx) => {
        const u = await repo.insert(trx, { username: body.username, name: body.name.trim(), password_hash: passwordHash }).catch((err: unknown) => {
          const { code, constraint } = pgErrorInfo(err);
          if (code === '23505' && constraint === 'app_user_username_unique') throw appError('USERNAME_TAKEN');
          throw err;
        });
        for (const [i, r] of body.roles.entries()) {
          await repo.insertRole(trx, u.id, r.orgId, r.role);
          const org = targets[i];
          if (org) {
            await recordAudit(trx, actor, {
              action: 'user.role.grant', entityType: 'user', entityId: u.id, org, after: { role: r.role, orgId: r.orgId },
            });
          }
        }
        const first = targets[0] ?? null;
        await recordAudit(trx, actor, {
          action: 'user.create', entityType: 'user', entityId: u.id, org: first, after: { username: u.username, name: u.name },
        });
        return u;
      });
      return toUser(scope, user);
    },

    /** An admin sets a new password for an account wholly inside their scope; its sessions end. */
    async resetPassword(caller: Caller, id: number, newPassword: string): Promise<void> {
      const { scope, actor } = caller;
      const before = await repo.findById(db, scope, id);
      if (!before) throw appError('USER_NOT_FOUND');
      if (before.id === actor.userId) throw appError('PASSWORD_RESET_SELF');
      await assertFullyInScope(scope, id);
      assertStrongPassword(newPassword, { username: before.username });
      const passwordHash = await hashPassword(newPassword);
      const roles = await repo.rolesOf(db, [id]);
      const org = roles[0] ? { id: roles[0].org_id, path: roles[0].org_path } : null;
      await db.transaction().execute(async (trx) => {
        await repo.update(trx, id, { password_hash: passwordHash });
        await repo.clearThrottle(trx, usernameKey(before.username));
        await repo.deleteUserSessions(trx, id);
        await recordAudit(trx, actor, { action: 'user.password.reset', entityType: 'user', entityId: id, org, after: { sessionsEnded: true } });
      });
    },

    /** Renames, disables, unlocks or resets the password of an account wholly inside the caller's scope. */
    async update(caller: Caller, id: number, body: UpdateUserBody): Promise<User> {
      const { scope, actor } = caller;
      const before = await repo.findById(db, scope, id);
      if (!before) throw appError('USER_NOT_FOUND');
      await assertFullyInScope(scope, id);
      if (body.password !== undefined) assertStrongPassword(body.password, { username: before.username });
      const passwordHash = body.password !== undefined ? await hashPassword(body.password) : undefined;
      const roles = await repo.rolesOf(db, [id]);
      const org = roles[0] ? { id: roles[0].org_id, path: roles[0].org_path } : null;
      const after = await db.transaction().execute(async (trx) => {
        const u = await repo.update(trx, id, {
          ...(body.name !== undefined ? { name: body.name.trim() } : {}),
          ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
          ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
        });
        if (body.unlock) await repo.clearThrottle(trx, usernameKey(before.username));
        if (!u) throw appError('USER_NOT_FOUND');
        if (passwordHash !== undefined || body.disabled) await repo.deleteUserSessions(trx, id);
        await recordAudit(trx, actor, {
          action: 'user.update', entityType: 'user', entityId: id, org,
          before: { name: before.name, disabled: before.disabled },
          after: { name: u.name, disabled: u.disabled, passwordChanged: passwordHash !== undefined, unlocked: !!body.unlock },
        });
        return u;
      });
      return toUser(scope, after);
    },

    /** Grants a role on a union inside the caller's scope (outside → 404, as if absent). */
    async grantRole(caller: Caller, id: number, orgId: number, role: string): Promise<User> {
      const { scope, actor } = caller;
      const u = await repo.findById(db, scope, id);
      if (!u) throw appError('USER_NOT_FOUND');
      const org = await orgInScope(caller, orgId);
      await db.transaction().execute(async (trx) => {
        await repo.insertRole(trx, id, orgId, role);
        await recordAudit(trx, actor, { action: 'user.role.grant', entityType: 'user', entityId: id, org, after: { role, orgId } });
      });
      return toUser(scope, u);
    },

    /** Revokes a role whose union lies inside the caller's scope. */
    async revokeRole(caller: Caller, id: number, roleId: number): Promise<User> {
      const { scope, actor } = caller;
      const u = await repo.findById(db, scope, id);
      if (!u) throw appError('USER_NOT_FOUND');
      await db.transaction().execute(async (trx) => {
        const removed = await repo.deleteRole(trx, scope, id, roleId);
        if (!removed) throw appError('NOT_FOUND');
        await recordAudit(trx, actor, {
          action: 'user.role.revoke', entityType: 'user', entityId: id, org: { id: removed.org_id, path: removed.org_path ?? '' }, before: { role: removed.role, orgId: removed.org_id },
        });
      });
      const still = await repo.findById(db, scope, id);
      return still ? toUser(scope, still) : { ...(await toUser(scope, u)), roles: [] };
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
