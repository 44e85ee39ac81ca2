import { hash, verify } from '@node-rs/argon2';
import { appError } from './errors.js';

/** Algorithm.Argon2id of @node-rs/argon2 (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;
/** OWASP-recommended argon2id parameters: 19 MiB, 2 iterations, 1 lane. */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 10;

/**
 * Password policy: at least 10 characters and three of four classes (upper, lower, digit, symbol);
 * throws 400 PASSWORD_TOO_WEAK otherwise.
 */
export function assertStrongPassword(password: string): void {
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < PASSWORD_MIN_LENGTH || password.length > 128 || classes < 3) {
    throw appError('PASSWORD_TOO_WEAK', { fields: { password: '密码至少 10 位，且须包含大写字母、小写字母、数字、符号中的至少三类' } });
  }
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
