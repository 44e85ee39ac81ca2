import { idCheckChar } from '../../src/server/platform/pii.js';

/** A valid synthetic 居民身份证号: region, birth date and a 3-digit sequence (odd = male), with its check character. */
export function residentId(seq: number, region = '210102', birth = '19900101'): string {
  const first17 = `${region}${birth}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** A valid mobile number distinct per n. */
export function mobile(n: number): string {
  return `139${String(n).padStart(8, '0')}`;
}
