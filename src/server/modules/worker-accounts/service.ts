import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { appError, pgErrorInfo } from '../../platform/errors.js';
import { assertStrongPassword, dummyHash, hashPassword, verifyPassword } from '../../platform/password.js';
import type { WorkerAuth } from '../../platform/auth.js';
import type { SmsSender } from '../../platform/sms.js';
import type { SignInThrottle } from '../accounts/service.js';
import type { MemberService } from '../members/service.js';
import * as repo from './repo.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface WorkerAccountDeps {
  db: Kysely<Database>;
  members: MemberService;
  throttle: SignInThrottle;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** The SMS one-time code step (null: off; the product works without it). */
  sms?: SmsSender | null;
  now?: () => Date;
}

const OTP_TTL_MS = 10 * 60_000;
const OTP_RESEND_MS = 60_000;
const OTP_MAX_TRIES = 5;
export const SMS_CODE_SENT = '如该手机号为会员预留的号码，验证码已发送，10 分钟内有效。';

/**
 * 职工账号: a member opens an account by proving who they are (ID number and the phone on record
 * together, matched against a current membership), signs in with phone and password, and reads
 * only what is their own. The answers never tell which part of a failed proof was wrong.
 */
export function createWorkerAccountService({ db, members, throttle, sessionIdleMinutes, sessionMaxHours, sms = null, now = () => new Date() }: WorkerAccountDeps) {
  const otpHash = (phoneIdx: string, code: string) => sha256(`otp:${phoneIdx}:${code}`);

  /** Checks and spends a code (wrong tries counted, at most five); one answer for every failure. */
  async function spendCode(phoneIdx: string | null, purpose: string, code: string | undefined) {
    const o = phoneIdx && code ? await repo.findOtp(db, phoneIdx, purpose) : undefined;
    if (!o || !phoneIdx || !code || o.expires_at < now() || o.attempts >= OTP_MAX_TRIES) throw appError('SMS_CODE_INVALID');
    if (o.code_hash !== otpHash(phoneIdx, code.trim())) {
      await repo.otpTried(db, phoneIdx, purpose);
      throw appError('SMS_CODE_INVALID');
    }
    await repo.dropOtp(db, phoneIdx, purpose);
  }

  const idleMs = sessionIdleMinutes * 60_000;
  const maxMs = sessionMaxHours * 3_600_000;
  const expiry = (createdAt: Date) => new Date(Math.min(Date.now() + idleMs, createdAt.getTime() + maxMs));
  /** The throttle key of a typed phone (its blind index, or the text for one that is not a phone). */
  const throttleKey = (phone: string, idx: string | null) => sha256(`worker:${idx ?? phone.trim()}`);

  return {
    /** What the phone pages must ask (the SMS code step is on when the deployment sends SMS). */
    options: () => ({ smsCode: sms !== null }),

    /**
     * Sends a registration code to a phone on record, at most one a minute per phone; the answer is
     * the same whether or not the phone is anyone's, so it tells nothing.
     */
    async sendCode(phone: string) {
      if (!sms) throw appError('SMS_DISABLED');
      const idx = members.phoneIndexOf(phone);
      if (!idx) throw appError('PHONE_INVALID', { fields: { phone: '请填写 11 位手机号码' } });
      const last = await repo.findOtp(db, idx, 'register');
      if ((!last || now().getTime() - last.sent_at.getTime() >= OTP_RESEND_MS) && await repo.phoneOnRecord(db, idx)) {
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        await repo.putOtp(db, { phone_idx: idx, purpose: 'register', code_hash: otpHash(idx, code), sent_at: now(), expires_at: new Date(now().getTime() + OTP_TTL_MS) });
        await sms.send(phone.trim(), `【工会】您的验证码为 ${code}，10 分钟内有效，用于开通职工账号。请勿告诉他人。`);
      }
      return { message: SMS_CODE_SENT };
    },

    async register(body: { idType: string; idNumber: string; phone: string; password: string; smsCode?: string | undefined }, actor: Actor) {
      assertStrongPassword(body.password, { username: body.phone });
      if (sms) await spendCode(members.phoneIndexOf(body.phone), 'register', body.smsCode);
      const who = await members.workerIdentity(body);
      if (!who) throw appError('WORKER_IDENTITY_MISMATCH');
      const passwordHash = await hashPassword(body.password);
      try {
        const account = await db.transaction().execute(async (trx) => {
          const a = await repo.insertAccount(trx, { personId: who.personId, phoneIdx: who.phoneIdx, passwordHash });
          await recordAudit(trx, actor, { action: 'worker.register', entityType: 'worker_account', entityId: a.id, org: who.org });
          return a;
        });
        return { id: account.id, ...(await members.workerProfile(who.personId)) };
      } catch (err) {
        const { code, constraint } = pgErrorInfo(err);
        if (code === '23505' && constraint === 'worker_account_phone_key') throw appError('WORKER_ALREADY_REGISTERED', undefined, '该手机号已开通另一位职工的账号，请联系所在工会');
        if (code === '23505') throw appError('WORKER_ALREADY_REGISTERED');
        throw err;
      }
    },

    /** Unknown phone and wrong password: the same answer in the same time; failures throttled per phone and address as for officers. */
    async login(phone: string, password: string, actor: Actor) {
      const idx = members.phoneIndexOf(phone);
      const key = throttleKey(phone, idx);
      const ip = actor.ip ?? 'unknown';
      await throttle.check(key, ip);
      const account = idx ? await repo.findByPhone(db, idx) : undefined;
      const ok = (await verifyPassword(account?.password_hash ?? await dummyHash(), password)) && !!account && !account.disabled;
      if (!ok || !account) {
        const after = await throttle.fail(key, ip);
        if (after.blocked && after.until) {
          await db.transaction().execute((trx) => recordAudit(trx, actor, {
            action: 'auth.throttled', entityType: 'worker_account', entityId: account?.id ?? null, org: null, after: { failures: after.failures },
          }));
          throw throttle.locked(after.until);
        }
        throw appError('WORKER_BAD_CREDENTIALS');
      }
      await throttle.clear(key, ip);
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      await repo.insertSession(db, { id: sha256(token), workerId: account.id, csrfToken, expiresAt: expiry(new Date()) });
      await repo.markLogin(db, account.id);
      await db.transaction().execute((trx) => recordAudit(trx, actor, { action: 'worker.login', entityType: 'worker_account', entityId: account.id, org: null }));
      return { token, csrfToken, worker: { id: account.id, ...(await members.workerProfile(account.person_id)) } };
    },

    /** A cookie token to a live worker session, sliding its idle expiry; null when unknown, expired or disabled. */
    async authenticate(token: string): Promise<WorkerAuth | null> {
      if (token.length > 100) return null;
      const id = sha256(token);
      const s = await repo.findLiveSession(db, id);
      if (!s || s.disabled) return null;
      if (Date.now() - s.last_seen_at.getTime() > 30_000) await repo.touchSession(db, id, expiry(s.created_at));
      return { sessionId: id, csrfToken: s.csrf_token, workerId: s.worker_id, personId: s.person_id };
    },

    logout: (sessionId: string) => repo.deleteSession(db, sessionId),
    purgeExpiredSessions: () => repo.deleteExpired(db),
    me: async (w: WorkerAuth) => ({ id: w.workerId, ...(await members.workerProfile(w.personId)) }),
  };
}
export type WorkerAccountService = ReturnType<typeof createWorkerAccountService>;
