import { hash, verify } from '@node-rs/argon2';
import { appError } from './errors.js';

/** Algorithm.Argon2id of @node-rs/argon2 (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;
/** OWASP-recommended argon2id parameters: 19 MiB, 2 iterations, 1 lane. */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 10;

/**
 * Passwords that meet the class rule yet are among the first an attacker tries: leaked-list
 * favourites written with a capital, a digit and a symbol, Chinese office defaults, keyboard walks.
 * They are compared after folding case and common letter-for-symbol swaps (see fold()).
 */
const COMMON = new Set([
  'password', 'passwd', 'pass', 'admin', 'administrator', 'root', 'test', 'guest', 'user', 'system', 'manager', 'super', 'superadmin',
  'qwerty', 'qwer', 'qwert', 'asdf', 'asdfgh', 'zxcv', 'zxcvbn', 'qaz', 'qazwsx', 'qazwsxedc', 'wsx', 'edc', 'abc', 'abcd', 'abcde', 'abcdef', 'aaa', 'aa',
  'welcome', 'hello', 'letmein', 'iloveyou', 'changeme', 'default', 'secret', 'master', 'login', 'monkey', 'dragon', 'sunshine', 'princess',
  'woaini', 'huawei', 'china', 'beijing', 'shanghai', 'zhongguo', 'baidu', 'tencent', 'alibaba', 'server', 'oracle', 'mysql', 'postgres',
]);
/** The product's names: a password built on them is the first one tried against this system. */
const PRODUCT = ['gonghui', 'zhgh', 'zhihuigonghui', 'acftu', '工会', '总工会'];

/** Lower case, with the swaps people make to pass a symbol rule (@→a, 0→o, 1→l, 3→e, $→s, …). */
const fold = (s: string) => s.toLowerCase().replace(/[@4]/g, 'a').replace(/0/g, 'o').replace(/[1!|]/g, 'l').replace(/3/g, 'e').replace(/[$5]/g, 's').replace(/7/g, 't');

/**
 * Why a password that meets the length and class rules is still refused, or null: it is a
 * common password (its letters, digits and symbols stripped of the usual decorations are a word
 * of COMMON, or it is a keyboard walk), it is built on the product's name, or on the username.
 */
export function weakPasswordReason(password: string, username?: string): string | null {
  const lower = password.toLowerCase();
  const letters = lower.replace(/[^a-z\u4e00-\u9fff]/g, '');
  // the decorations around the word (Admin@123456, 2026P@ssw0rd!) are dropped before the swaps are undone
  const core = password.replace(/^[^A-Za-z\u4e00-\u9fff]+|[^A-Za-z\u4e00-\u9fff]+$/g, '');
  const folded = fold(core).replace(/[^a-z\u4e00-\u9fff]/g, '');
  if (PRODUCT.some((w) => lower.includes(w) || folded.includes(w))) return '密码不能包含本系统的名称';
  if (username && username.length >= 3) {
    const u = username.toLowerCase();
    const reversed = [...u].reverse().join('');
    if (lower.includes(u) || lower.includes(reversed) || folded.includes(fold(u).replace(/[^a-z]/g, '') || '\u0000')) return '密码不能包含用户名';
  }
  // a common word with digits and symbols around it (Admin@123456, P@ssw0rd2026!, Qwer1234!)
  if ((letters && COMMON.has(letters)) || (folded && COMMON.has(folded))) return '密码过于常见，请换一个不易被猜到的密码';
  // keyboard walks and repeats of short runs (1qaz@WSX3edc, Aa123456!, Abcabc123!)
  if (/^(1qaz|qaz1|!qaz|1q2w|q1w2)/i.test(password) || /^(.{1,4})\1{2,}/.test(lower.replace(/[^a-z0-9]/g, ''))) return '密码过于常见，请换一个不易被猜到的密码';
  const digits = lower.replace(/[^0-9]/g, '');
  if (letters.length <= 2 && /^(0?123456789?0?|987654321?0?|(\d)\2+)$/.test(digits)) return '密码过于常见，请换一个不易被猜到的密码';
  return null;
}

/**
 * Password policy: at least 10 characters and three of four classes (upper, lower, digit,
 * symbol), and not a common password, the product's name or the username (weakPasswordReason);
 * throws 400 PASSWORD_TOO_WEAK with the reason otherwise.
 */
export function assertStrongPassword(password: string, context: { username?: string } = {}): void {
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < PASSWORD_MIN_LENGTH || password.length > 128 || classes < 3) {
    throw appError('PASSWORD_TOO_WEAK', { fields: { password: '密码至少 10 位，且须包含大写字母、小写字母、数字、符号中的至少三类' } });
  }
  const reason = weakPasswordReason(password, context.username);
  if (reason) throw appError('PASSWORD_TOO_WEAK', { fields: { password: reason } }, reason);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** A hash to verify against when the user does not exist, so both answers take the same time. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('dummy-password-for-timing-Aa1!');
  return dummy;
}
