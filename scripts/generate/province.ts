/**
 * A realistic province for load tests and benchmarks, deterministic from a seed: the real GB/T 2260
 * city and county structure of one province, street unions with real street names, grassroots
 * unions with valid credit codes, members with valid unique synthetic resident IDs (sealed by the
 * product's own SM4 / HMAC-SM3 code), join dates over 25 years, some transfers and leavers, and
 * hotline orders in every state. Everything is loaded with COPY; counters are kept by the same
 * triggers as in production.
 */
import { sql } from 'kysely';
import type { Db } from '../../src/server/db/connect.js';
import { makeUnionCreditCode } from '../../src/server/platform/credit-code.js';
import type { PiiCipher } from '../../src/server/platform/crypto.js';
import { idCheckChar, maskIdNumber, maskPhone } from '../../src/server/platform/pii.js';
import { regionByCode, regionChildren, streetsOf } from '../../src/server/platform/region.js';

export interface GenOptions { members: number; orgs: number; seed: number; provinceCode: string; tickets: number }

/** xorshift32: small, fast and the same on every machine. */
export function rng(seed: number) {
  let s = (seed >>> 0) || 0x2351;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)] as T };
}

const csv = (v: string | number | boolean | null): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const line = (vals: Array<string | number | boolean | null>) => `${vals.map(csv).join(',')}\n`;

const BRANDS = '华润 恒通 金桥 东方 鑫源 盛京 北方 宏达 新星 长兴 瑞丰 博远 中联 汇通 德胜 远航 天润 辽河 海晟 兴隆 正泰 万达 佳和 广源 宏图 永安 华夏 信达 龙腾 顺发'.split(' ');
const TRADES = '机械制造 物流 建材 食品 电子科技 医药 建筑工程 汽车零部件 商贸 软件 化工 纺织 快递 物业服务 餐饮管理 装备制造 新能源 家政服务 保安服务 网约车'.split(' ');
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
/**
 * Surnames are drawn as often as they are borne: the 20 commonest at their approximate national
 * shares in percent (王 and 李 about 7 % each), the other 80 falling evenly from 0.8 % to 0.2 %
 * (the 100 cover about nine people in ten; the draw is normalised over them). An even draw would
 * make 王 as rare as 龚 and hide how a search for the commonest surname behaves.
 */
const SURNAME_LIST = [...SURNAMES];
const TOP_SHARES = [7.1, 7.0, 6.7, 5.4, 4.6, 3.1, 2.0, 2.2, 1.7, 1.8, 1.3, 1.2, 1.0, 1.1, 0.9, 0.9, 0.93, 0.97, 1.1, 0.86];
const SURNAME_CUMULATIVE = (() => {
  const shares = SURNAME_LIST.map((_, i) => TOP_SHARES[i] ?? 0.8 - (0.6 * (i - TOP_SHARES.length)) / (SURNAME_LIST.length - TOP_SHARES.length - 1));
  const total = shares.reduce((a, b) => a + b, 0);
  let run = 0;
  return shares.map((w) => (run += w / total));
})();
/** A surname drawn by its share (one draw of `r`, so the stream stays deterministic). */
export function pickSurname(r: ReturnType<typeof rng>): string {
  const u = r.next();
  let lo = 0;
  let hi = SURNAME_CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((SURNAME_CUMULATIVE[mid] ?? 1) > u) hi = mid;
    else lo = mid + 1;
  }
  return SURNAME_LIST[lo] ?? '王';
}
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞宇浩然子轩欣怡建国志强海燕晓东春梅德明宏伟';
const GROUPS = ['courier', 'food_delivery', 'truck_driver', 'new_employment', 'security_guard', 'domestic', 'caregiver', 'ride_hailing'];

/** Reserves `n` consecutive values of a sequence (or of a table's identity column) and returns the first. */
async function reserve(db: Db, sequenceOrTable: string, n: number, column?: string): Promise<number> {
  const seq = column
    ? (await sql<{ s: string }>`select pg_get_serial_sequence(${sequenceOrTable}, ${column}) as s`.execute(db.db)).rows[0]?.s ?? ''
    : sequenceOrTable;
  const r = await sql<{ first: number }>`select setval(${seq}::regclass, nextval(${seq}::regclass) + ${n} - 1) - ${n} + 1 as first`.execute(db.db);
  return Number(r.rows[0]?.first);
}

interface OrgRow { id: number; parentId: number; path: string; depth: number; name: string; level: string; kind: string; region: string; credit: string | null }

/** Builds the org tree under `parent` (the province union is created here) and loads it with COPY. */
async function generateOrgs(db: Db, parent: { id: number; path: string; depth: number }, o: GenOptions, r: ReturnType<typeof rng>) {
  const province = regionByCode(o.provinceCode);
  if (!province) throw new Error(`unknown province ${o.provinceCode}`);
  const cities = regionChildren(o.provinceCode);
  const counties = cities.flatMap((c) => regionChildren(c.code).map((k) => ({ ...k, city: c.code })));
  const streetsPer = 3;
  const federations = 1 + cities.length + counties.length;
  const streetCount = counties.reduce((a, k) => a + Math.min(streetsPer, streetsOf(k.code).length), 0);
  const grassroots = Math.max(0, o.orgs - federations - streetCount);
  const total = federations + streetCount + grassroots;
  let next = await reserve(db, 'org', total, 'id');
  const rows: OrgRow[] = [];
  let serial = 100_000;
  const add = (p: { id: number; path: string; depth: number }, name: string, level: string, kind: string, region: string, credit: string | null) => {
    const id = next++;
    const row = { id, parentId: p.id, path: `${p.path}${id}/`, depth: p.depth + 1, name, level, kind, region, credit };
    rows.push(row);
    return row;
  };
  const prov = add(parent, `${province.name.replace(/省$/, '')}省总工会`, 'province', 'federation', o.provinceCode, makeUnionCreditCode('9', o.provinceCode, serial++));
  const hosts: OrgRow[] = []; // unions that take grassroots children: counties and streets
  for (const c of cities) {
    const city = add(prov, `${c.name}总工会`, 'city', 'federation', c.code, makeUnionCreditCode('9', c.code, serial++));
    for (const k of counties.filter((x) => x.city === c.code)) {
      const county = add(city, `${k.name}总工会`, 'county', 'federation', k.code, makeUnionCreditCode('9', k.code, serial++));
      hosts.push(county);
      for (const s of streetsOf(k.code).slice(0, streetsPer)) hosts.push(add(county, `${s}总工会`, 'street', 'federation', k.code, makeUnionCreditCode('9', k.code, serial++)));
    }
  }
  const used = new Set<string>();
  const grassrootsRows: OrgRow[] = [];
  for (let i = 0; i < grassroots; i++) {
    const host = r.pick(hosts);
    const short = (regionByCode(host.region)?.name ?? '').replace(/(区|县|市)$/, '');
    let name = `${short}${r.pick(BRANDS)}${r.pick(TRADES)}有限公司工会委员会`;
    if (used.has(`${host.id}:${name}`)) name = name.replace('有限公司', `${i}有限公司`);
    used.add(`${host.id}:${name}`);
    grassrootsRows.push(add(host, name, 'grassroots', 'grassroots', host.region, makeUnionCreditCode('1', host.region, serial++)));
  }
  await db.copyFrom('org', ['id', 'parent_id', 'path', 'depth', 'name', 'level', 'kind', 'region_code', 'credit_code'],
    rows.map((x) => line([x.id, x.parentId, x.path, x.depth, x.name, x.level, x.kind, x.region, x.credit])));
  return { province: prov, grassroots: grassrootsRows, all: rows };
}

/**
 * Members: one person and one membership each (plus a second membership for the transferred),
 * with their 会籍变化 rows, in COPY streams. Unions get Zipf-like sizes (a few large employers,
 * many small ones).
 */
async function generateMembers(db: Db, pii: PiiCipher, unions: OrgRow[], o: GenOptions, r: ReturnType<typeof rng>, onProgress: (n: number) => void) {
  const n = o.members;
  const firstPerson = await reserve(db, 'person', n, 'id');
  const extra = Math.ceil(n * 0.03) + 10; // transfers add a membership
  const firstMembership = await reserve(db, 'membership', n + extra, 'id');
  const firstChange = await reserve(db, 'membership_change', 3 * n + 10, 'id');
  const firstNo = await reserve(db, 'member_no_seq', n);
  const weights = unions.map((_, i) => 1 / (1 + (i % 97)));
  const cum: number[] = [];
  weights.reduce((a, w, i) => (cum[i] = a + w), 0);
  const totalW = cum[cum.length - 1] ?? 1;
  const pickUnion = () => {
    const x = r.next() * totalW;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if ((cum[mid] ?? 0) < x) lo = mid + 1; else hi = mid; }
    return unions[lo] as OrgRow;
  };
  const counties = [...new Set(unions.map((u) => u.region))];
  const people: string[] = [];
  const memberships: string[] = [];
  const changes: string[] = [];
  let mId = firstMembership;
  let cId = firstChange;
  const flush = async () => {
    await db.copyFrom('person', ['id', 'id_type', 'id_idx', 'id_enc', 'id_masked', 'name', 'gender', 'birth_date', 'ethnicity', 'education', 'employment_status',
      'household_type', 'is_migrant_worker', 'groups', 'phone_enc', 'phone_idx', 'phone_masked', 'member_no'], people);
    await db.copyFrom('membership', ['person_id', 'id', 'org_id', 'org_path', 'status', 'joined_on', 'started_on', 'ended_on', 'channel', 'id_last4', 'name'], memberships);
    await db.copyFrom('membership_change', ['person_id', 'id', 'membership_id', 'org_id', 'change_type', 'reason_code', 'related_org_id', 'channel', 'at'], changes);
    people.length = 0;
    memberships.length = 0;
    changes.length = 0;
  };
  for (let i = 0; i < n; i++) {
    const region = counties[i % counties.length] ?? '210102';
    const rest = Math.floor(i / counties.length);
    const birth = new Date(Date.UTC(1962, 0, 1) + (rest % 15_500) * 86_400_000);
    // the 3-digit sequence code, spread over 000–999 like real numbers (a bijection per birth date, so still unique)
    const seq = (Math.floor(rest / 15_500) * 389 + (rest % 15_500) * 7) % 1000;
    const birthStr = birth.toISOString().slice(0, 10);
    const first17 = `${region}${birthStr.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
    const idNumber = first17 + idCheckChar(first17);
    const phone = `1${3 + (i % 7)}${String(100_000_000 + ((i * 7_919 + o.seed) % 900_000_000)).slice(-9)}`;
    const name = `${pickSurname(r)}${r.pick([...GIVEN])}${r.next() < 0.6 ? r.pick([...GIVEN]) : ''}`;
    const personId = firstPerson + i;
    const union = pickUnion();
    const joinYear = Math.max(Number(birthStr.slice(0, 4)) + 18, 2000 + r.int(26));
    const joined = `${Math.min(joinYear, 2025)}-${String(1 + r.int(12)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}`;
    const groups = r.next() < 0.2 ? `{${r.pick(GROUPS)}}` : '{}';
    people.push(line([personId, 'resident_id', pii.blindIndex('resident_id', idNumber), pii.encrypt(idNumber), maskIdNumber(idNumber), name,
      Number(first17.charAt(16)) % 2 === 1 ? 'male' : 'female', birthStr, r.next() < 0.9 ? '01' : '11', r.pick(['20', '30', '40', '60', '70']), '1',
      r.next() < 0.6 ? '1' : '2', r.next() < 0.3, groups, pii.encrypt(phone), pii.blindIndex('phone', phone), maskPhone(phone),
      `${union.region}${String(firstNo + i).padStart(10, '0')}`]));
    const channel = r.pick(['roster', 'roster', 'roster', 'window', 'qr', 'online']);
    const fate = r.next();
    const last4 = idNumber.slice(-4);
    const at = `${joined}T09:00:00+08:00`;
    if (fate < 0.02) {
      // transferred: an ended membership in one union, the current one in another
      const to = pickUnion();
      const moved = `${Math.min(2025, Number(joined.slice(0, 4)) + 1 + r.int(3))}${joined.slice(4)}`;
      memberships.push(line([personId, mId, union.id, union.path, 'transferred', joined, joined, moved, channel, last4, name]));
      changes.push(line([personId, cId++, mId, union.id, '1', null, null, channel, at]));
      changes.push(line([personId, cId++, mId, union.id, '4', '1', to.id, null, `${moved}T10:00:00+08:00`]));
      mId += 1;
      memberships.push(line([personId, mId, to.id, to.path, 'active', joined, moved, null, 'transfer', last4, name]));
      changes.push(line([personId, cId++, mId, to.id, '2', '1', union.id, 'transfer', `${moved}T10:00:00+08:00`]));
    } else {
      const status = fate < 0.05 ? 'withdrawn' : fate < 0.08 ? 'retained' : 'active';
      const ended = status === 'withdrawn' ? `${Math.min(2025, Number(joined.slice(0, 4)) + 2)}${joined.slice(4)}` : null;
      memberships.push(line([personId, mId, union.id, union.path, status, joined, joined, ended, channel, last4, name]));
      changes.push(line([personId, cId++, mId, union.id, '1', null, null, channel, at]));
      if (status === 'withdrawn') changes.push(line([personId, cId++, mId, union.id, '6', '5', null, null, `${ended}T10:00:00+08:00`]));
      if (status === 'retained') changes.push(line([personId, cId++, mId, union.id, '3', '2', null, null, at]));
    }
    mId += 1;
    if (people.length >= 20_000 && i + 1 < n) { await flush(); onProgress(i + 1); }
  }
  await flush();
  onProgress(n);
}

/** Hotline orders in every state, spread over two years, handled across the province's unions. */
async function generateTickets(db: Db, pii: PiiCipher, o: GenOptions) {
  if (o.tickets <= 0) return;
  const phoneEnc = pii.encrypt('13800138000');
  const phoneIdx = pii.blindIndex('phone', '13800138000');
  const orgs = await db.db.selectFrom('org').select('id').where('level', 'in', ['county', 'street', 'grassroots']).where('path', 'like', '/%').execute();
  const ids = orgs.map((x) => x.id);
  for (let start = 0; start < o.tickets; start += 100_000) {
    const count = Math.min(100_000, o.tickets - start);
    await sql`
      insert into hotline_ticket (ticket_no, province_code, channel, received_at, caller_name, caller_phone_enc, caller_phone_idx,
        category, content, region_code, difficulty, status, deadline_base, deadline, overdue, accept_org_id, handling_org_id, handling_org_path,
        resolved_at, resolved_on_time, result, satisfaction, evaluated_at, closed_at, created_at)
      select '1' || lpad((${start} + g)::text, 13, '0'), ${o.provinceCode.slice(0, 2)}, (array['phone','web','mobile'])[1 + g % 3], r.at, '来电人', ${phoneEnc}, ${phoneIdx},
        (array['wage_arrears','labor_contract','social_insurance','work_injury','legal_consult','other'])[1 + g % 6], '职工诉求', o.region_code,
        (array['general','difficult','complex'])[1 + g % 3], s.status, r.at, r.at + interval '5 days', s.status in ('accepted','dispatched','signed','returned') and r.at < now() - interval '5 days',
        o.id, o.id, o.path,
        case when s.status in ('resolved','evaluated','closed') then r.at + interval '2 days' end,
        case when s.status in ('resolved','evaluated','closed') then g % 9 <> 0 end,
        case when s.status in ('resolved','evaluated','closed') then '已办结' end,
        case when s.status in ('evaluated','closed') then (array['satisfied','basically_satisfied','dissatisfied'])[1 + g % 3] end,
        case when s.status in ('evaluated','closed') then r.at + interval '3 days' end,
        case when s.status = 'closed' then r.at + interval '4 days' end,
        r.at
      from generate_series(1, ${count}) g
        join lateral (select (${sql.val(ids)}::int[])[1 + ((g * 2654435761::bigint) % ${ids.length})] as oid) pick on true
        join org o on o.id = pick.oid,
        lateral (select (array['accepted','dispatched','signed','returned','resolved','evaluated','closed','closed','closed','closed'])[1 + g % 10] as status) s,
        lateral (select now() - ((g * 7919) % (730 * 24 * 60)) * interval '1 minute' as at) r
    `.execute(db.db);
  }
}

export async function generateProvince(db: Db, pii: PiiCipher, root: { id: number; path: string; depth: number }, o: GenOptions, log: (m: string) => void) {
  const r = rng(o.seed);
  const t0 = Date.now();
  const orgs = await generateOrgs(db, root, o, r);
  log(`  ${orgs.all.length.toLocaleString('en')} unions (${orgs.grassroots.length.toLocaleString('en')} grassroots) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = Date.now();
  await generateMembers(db, pii, orgs.grassroots.length ? orgs.grassroots : orgs.all, o, r, (n) => {
    if (n % 200_000 === 0 || n === o.members) log(`  ${n.toLocaleString('en')} members (${Math.round(n / ((Date.now() - t1) / 1000)).toLocaleString('en')}/s)`);
  });
  const t2 = Date.now();
  await generateTickets(db, pii, o);
  log(`  ${o.tickets.toLocaleString('en')} hotline orders in ${((Date.now() - t2) / 1000).toFixed(1)} s`);
  // as a database in service would be after autovacuum: planner statistics, and the visibility map
  // that lets member lists answer from their covering indexes alone
  for (const t of ['org', 'person', 'membership', 'membership_change', 'member_count', 'member_stat', 'hotline_ticket']) await sql`vacuum (analyze) ${sql.table(t)}`.execute(db.db);
  return { province: orgs.province, unions: orgs.all.length, grassroots: orgs.grassroots.length };
}
