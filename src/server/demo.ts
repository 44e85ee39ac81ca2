import type { Kysely } from 'kysely';
import type { Services } from './app.js';
import type { Database } from './db/types.js';
import { verifyPassword } from './platform/password.js';
import { systemActor } from './platform/audit.js';
import { makeUnionCreditCode } from './platform/credit-code.js';
import { regionChildren, regionByCode, streetsOf } from './platform/region.js';
import { idCheckChar } from './platform/pii.js';
import { officerCaller, systemCaller, type Caller } from './platform/caller.js';
import { TRANSITIONS, type Action, type ActionPayload } from './modules/hotline/service.js';

/** Password of every demo officer account (documented in the README). */
export const DEMO_PASSWORD = 'Demo#Union2026';
/** The demo worker account (职工账号): a member of a 和平区 union, signing in with this phone and DEMO_PASSWORD. */
export const DEMO_WORKER_PHONE = '13912345678';
/** The demo officer accounts (loadDemo makes those whose unions exist). */
export const DEMO_USERNAMES = ['liaoning', 'liaoning_hotline', 'liaoning_viewer', 'shenyang', 'dalian', 'heping', 'heping_officer', 'heping_street', 'zhongshan'];

/**
 * Whether an enabled account still signs in with the published demo password: while one does,
 * the server listens on the loopback address only (unless HOST says otherwise) and the console
 * marks itself as a demo.
 */
export async function demoAccountsActive(db: Kysely<Database>): Promise<boolean> {
  const users = await db.selectFrom('app_user').select('password_hash').where('disabled', '=', false).where('username', 'in', DEMO_USERNAMES).execute();
  for (const u of users) if (await verifyPassword(u.password_hash, DEMO_PASSWORD)) return true;
  const workers = await db.selectFrom('worker_account').select('password_hash').where('disabled', '=', false).orderBy('id').limit(5).execute();
  for (const w of workers) if (await verifyPassword(w.password_hash, DEMO_PASSWORD)) return true;
  return false;
}

const BRANDS = ['华润', '恒通', '金桥', '东方', '鑫源', '盛京', '北方', '宏达', '新星', '长兴', '瑞丰', '博远', '中联', '汇通', '德胜', '远航', '天润', '辽河', '海晟', '兴隆', '正泰', '万达', '佳和', '广源'];
const TRADES = ['机械制造', '物流', '建材', '食品', '电子科技', '医药', '建筑工程', '汽车零部件', '商贸', '软件', '化工', '纺织', '快递', '物业服务', '餐饮管理', '装备制造', '新能源', '家政服务'];
const INSTITUTIONS = ['第一人民医院', '实验中学', '中心小学', '人民法院', '税务局', '供电公司', '自来水公司', '图书馆'];

/** Deterministic pseudo-random numbers, so the demo looks the same on every machine. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface DemoSummary { orgs: number; users: string[]; members: number }

/**
 * Loads a realistic province into a new database: 辽宁省总工会 with its real cities and counties
 * (GB/T 2260), street unions, a few hundred grassroots unions with valid credit codes, an industry
 * union, a multi-level enterprise union, and officer accounts at each level. Runs through the
 * services, so every row obeys the same rules and is audited.
 */
export async function loadDemo(services: Services, rootId: number, rootLevel: 'national' | 'province'): Promise<DemoSummary> {
  const actor = { ...systemActor, username: 'demo' };
  const scope = systemCaller(actor);
  const rand = rng(2351);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
  let orgs = 0;
  let serial = 1000;
  const create = async (parentId: number, name: string, level: string, kind: string, regionCode: string, creditCode?: string, industryOrgId?: number) => {
    orgs++;
    return services.orgs.create(scope, {
      parentId, name, level: level as never, kind: kind as never, regionCode,
      ...(creditCode ? { creditCode } : {}), ...(industryOrgId ? { industryOrgId } : {}),
    });
  };

  const province = rootLevel === 'national' ? await create(rootId, '辽宁省总工会', 'province', 'federation', '210000', makeUnionCreditCode('9', '210000', serial++)) : await services.orgs.get(scope, rootId);
  const courierUnion = await create(province.id, '辽宁省快递行业工会联合会', 'province', 'industry', '210000', makeUnionCreditCode('9', '210000', serial++));
  await create(province.id, '辽宁省教科文卫体工会', 'province', 'industry', '210000', makeUnionCreditCode('9', '210000', serial++));

  const officers: Array<{ username: string; name: string; orgId: number; role: 'admin' | 'officer' | 'hotline_agent' | 'viewer' }> = [
    { username: 'liaoning', name: '省总工会管理员', orgId: province.id, role: 'admin' },
    { username: 'liaoning_hotline', name: '12351 坐席', orgId: province.id, role: 'hotline_agent' },
    { username: 'liaoning_viewer', name: '省总工会查看员', orgId: province.id, role: 'viewer' },
  ];

  const grassroots: Array<{ id: number; regionCode: string }> = [];
  const grassrootsPerCounty = (cityCode: string) => (cityCode === '210100' || cityCode === '210200' ? 9 : 0);
  for (const city of regionChildren('210000')) {
    const cityOrg = await create(province.id, `${city.name}总工会`, 'city', 'federation', city.code, makeUnionCreditCode('9', city.code, serial++));
    const counties = regionChildren(city.code);
    if (city.code === '210100') officers.push({ username: 'shenyang', name: '沈阳市总工会管理员', orgId: cityOrg.id, role: 'admin' });
    if (city.code === '210200') officers.push({ username: 'dalian', name: '大连市总工会管理员', orgId: cityOrg.id, role: 'admin' });
    for (const [ci, county] of counties.entries()) {
      const countyOrg = await create(cityOrg.id, `${county.name}总工会`, 'county', 'federation', county.code, makeUnionCreditCode('9', county.code, serial++));
      if (county.code === '210102') {
        officers.push({ username: 'heping', name: '和平区总工会管理员', orgId: countyOrg.id, role: 'admin' });
        officers.push({ username: 'heping_officer', name: '和平区总工会干部', orgId: countyOrg.id, role: 'officer' });
      }
      if (county.code === '210202') officers.push({ username: 'zhongshan', name: '中山区总工会管理员', orgId: countyOrg.id, role: 'admin' });
      const n = grassrootsPerCounty(city.code) || (ci === 0 ? 4 : 0);
      if (n === 0) continue;
      const streets = streetsOf(county.code).slice(0, 2);
      const streetOrgs = [];
      for (const s of streets) {
        streetOrgs.push(await create(countyOrg.id, `${s}总工会`, 'street', 'federation', county.code, makeUnionCreditCode('9', county.code, serial++)));
      }
      const firstStreet = streetOrgs[0];
      if (county.code === '210102' && firstStreet) {
        officers.push({ username: 'heping_street', name: `${firstStreet.name}干部`, orgId: firstStreet.id, role: 'officer' });
      }
      const shortName = county.name.replace(/(区|县|市)$/, '');
      const used = new Set<string>();
      for (let i = 0; i < n; i++) {
        const parent = streetOrgs.length && rand() < 0.5 ? pick(streetOrgs) : countyOrg;
        let name: string;
        let industry: number | undefined;
        if (rand() < 0.2) {
          name = `${county.name}${pick(INSTITUTIONS)}工会`;
        } else {
          const trade = pick(TRADES);
          name = `${shortName}${pick(BRANDS)}${trade}有限公司工会委员会`;
          if (trade === '快递') industry = courierUnion.id;
        }
        if (used.has(name)) continue;
        used.add(name);
        const g = await create(parent.id, name, 'grassroots', 'grassroots', county.code, makeUnionCreditCode('1', county.code, serial++), industry);
        grassroots.push({ id: g.id, regionCode: county.code });
      }
    }
  }

  // A multi-level enterprise union (集团 → 子公司 → 分会 → 小组) under 沈阳市总工会.
  const shenyang = (await services.orgs.list(scope, { q: '沈阳市总工会', limit: 1 })).items[0];
  if (shenyang) {
    const region = regionByCode('210100')?.code ?? '210100';
    const group = await create(shenyang.id, '盛京装备集团有限公司工会委员会', 'grassroots', 'grassroots', region, makeUnionCreditCode('1', region, serial++));
    const sub = await create(group.id, '盛京装备集团沈北制造有限公司工会委员会', 'grassroots', 'grassroots', '210113', makeUnionCreditCode('1', '210113', serial));
    const branch = await create(sub.id, '总装车间工会分会', 'branch', 'branch', '210113');
    await create(branch.id, '总装一班工会小组', 'group', 'group', '210113');
  }

  const accounts = new Map<string, Caller>();
  const rootPath = (await services.orgs.get(scope, rootId)).path;
  for (const o of officers) {
    const user = await services.users.create(scope, { username: o.username, name: o.name, password: DEMO_PASSWORD, roles: [{ orgId: o.orgId, role: o.role }] });
    const org = await services.orgs.get(scope, o.orgId);
    accounts.set(o.username, officerCaller({ ...actor, userId: user.id, username: o.username }, [{ role: o.role, orgId: org.id, orgPath: org.path, orgName: org.name }], null, rootPath));
  }
  const members = await loadDemoMembers(services, grassroots.filter((g) => g.regionCode === '210102' || g.regionCode === '210202' || g.regionCode === '210103'), rand);
  await loadDemoHotline(services, accounts);
  return { orgs, users: officers.map((o) => o.username), members };
}

/**
 * 12351 work orders for the demo, taken by the province's agent and worked by the demo officers
 * through the hotline service: one resolved with recovered wages and rated, one supervised (a
 * 督办 notice to 和平区), one dispatched down to the street and signed there, one overdue (the
 * sweeper's 超期 notices to the street and 和平区 at the first start), and a worker's online request.
 */
async function loadDemoHotline(services: Services, accounts: Map<string, Caller>): Promise<void> {
  const agent = accounts.get('liaoning_hotline');
  const heping = accounts.get('heping');
  const street = accounts.get('heping_street');
  if (!agent || !heping || !street) return;
  const hepingId = heping.roles[0]?.orgId ?? 0;
  const streetId = street.roles[0]?.orgId ?? 0;
  const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
  const take = (body: { name: string; phone: string; content: string; category: string; difficulty: 'general' | 'difficult' | 'complex'; receivedAt: string; employer?: string }) =>
    services.hotline.create(agent.as('hotline.create'), {
      channel: 'phone', caller: { name: body.name, phone: body.phone }, category: body.category, content: body.content, regionCode: '210102',
      difficulty: body.difficulty, receivedAt: body.receivedAt, ...(body.employer ? { employer: { name: body.employer } } : {}),
    });
  const act = (who: Caller, id: number, action: Action, p: ActionPayload = {}) => services.hotline.act(who.as(TRANSITIONS[action].permission), id, action, p);

  const paid = await take({ name: '刘师傅', phone: '13700010001', category: 'wage_arrears', difficulty: 'difficult', receivedAt: daysAgo(4), employer: '和平区某建筑劳务有限公司', content: '在工地干了三个月，拖欠工资 2.4 万元，多次讨要未果' });
  await act(agent, paid.id, 'dispatch', { orgId: hepingId, note: '请区总工会协调处理' });
  await act(heping, paid.id, 'sign');
  await act(heping, paid.id, 'resolve', { result: '约谈企业负责人，企业当场支付拖欠工资', amountRecoveredFen: 2_400_050 });
  await act(agent, paid.id, 'evaluate', { satisfaction: 'satisfied', comment: '回访：已拿到工资，满意' });

  const pressed = await take({ name: '赵女士', phone: '13700010002', category: 'labor_contract', difficulty: 'difficult', receivedAt: daysAgo(1), employer: '和平区某商贸有限公司', content: '入职半年公司一直不签劳动合同' });
  await act(agent, pressed.id, 'dispatch', { orgId: hepingId, note: '请核实用工情况' });
  await act(agent, pressed.id, 'supervise', { note: '来电人反映情况紧急，请加快办理' });

  const down = await take({ name: '孙师傅', phone: '13700010003', category: 'social_insurance', difficulty: 'difficult', receivedAt: daysAgo(0), content: '单位未按时缴纳社会保险' });
  await act(agent, down.id, 'dispatch', { orgId: hepingId });
  await act(heping, down.id, 'dispatch', { orgId: streetId, note: '转街道核实' });
  await act(street, down.id, 'sign');

  const late = await take({ name: '周师傅', phone: '13700010004', category: 'wage_arrears', difficulty: 'general', receivedAt: daysAgo(3), content: '快递站点拖欠上月工资' });
  await act(agent, late.id, 'dispatch', { orgId: hepingId });
  await act(heping, late.id, 'dispatch', { orgId: streetId, note: '请街道尽快处理' });

  await services.hotline.submitPublic({ caller: { name: '吴先生', phone: '13700010005' }, category: 'wage_arrears', content: '外卖站点扣发绩效工资，想咨询如何维权', regionCode: '210102' }, { ...agent.actor, userId: null, username: null });
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
/** Given names by sex: a demo member's name matches the sex their identity number says (its 17th digit: odd 男, even 女). */
export const GIVEN_MALE = ['伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '刚', '建国', '建华', '志强', '晓东', '晓峰', '德明', '宏伟', '海涛', '国庆'];
export const GIVEN_FEMALE = ['芳', '娜', '敏', '静', '丽', '艳', '娟', '秀英', '慧', '巧云', '美玲', '玉兰', '霞', '桂英', '海燕', '红梅', '春梅', '秀兰', '玉珍', '凤英'];

/**
 * Members for the demo (through the real member, join and transfer services, so PII is encrypted
 * and counters kept exactly as in production): a few per grassroots union in 和平区, 沈河区 and
 * 中山区, pending join applications, and one transfer waiting to be accepted.
 */
async function loadDemoMembers(services: Services, unions: Array<{ id: number; regionCode: string }>, rand: () => number): Promise<number> {
  const caller = systemCaller({ ...systemActor, username: 'demo' });
  const groups = ['courier', 'food_delivery', 'truck_driver', 'new_employment', 'security_guard', 'domestic'];
  let n = 0;
  let seq = 0;
  const person = (regionCode: string) => {
    seq += 1;
    const y = 1965 + Math.floor(rand() * 38);
    const birth = `${y}${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    const first17 = `${regionCode}${birth}${String(seq % 1000).padStart(3, '0')}`;
    const given = Number(first17[16]) % 2 === 1 ? GIVEN_MALE : GIVEN_FEMALE;
    return {
      name: `${SURNAMES[Math.floor(rand() * SURNAMES.length)] ?? '王'}${given[Math.floor(rand() * given.length)] ?? '伟'}`,
      birthYear: y, idType: 'resident_id' as const, idNumber: first17 + idCheckChar(first17), phone: `13${String(7 + Math.floor(rand() * 3))}${String(10_000_000 + seq * 7919).slice(-8)}`,
    };
  };
  const created: Array<{ id: number; orgId: number }> = [];
  for (const u of unions) {
    const count = 6 + Math.floor(rand() * 8);
    for (let i = 0; i < count; i++) {
      const { birthYear, ...p } = person(u.regionCode);
      const y = Math.min(2025, Math.max(2008 + Math.floor(rand() * 18), birthYear + 18));
      const m = await services.members.create(caller, {
        orgId: u.id, ...p, ethnicity: rand() < 0.9 ? '01' : '11', education: ['20', '30', '40', '60'][Math.floor(rand() * 4)] ?? '20', employmentStatus: '1',
        isMigrantWorker: rand() < 0.3, groups: rand() < 0.35 ? [groups[Math.floor(rand() * groups.length)] ?? 'courier'] : [],
        joinedOn: `${y}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
      });
      created.push({ id: m.id, orgId: u.id });
      n++;
    }
  }
  const heping = unions.filter((u) => u.regionCode === '210102');
  const workerUnion = heping[0];
  if (workerUnion) {
    const first17 = '21010219880808123';
    const idNumber = first17 + idCheckChar(first17);
    await services.members.create(caller, { orgId: workerUnion.id, name: '王建国', idType: 'resident_id', idNumber, phone: DEMO_WORKER_PHONE, joinedOn: '2019-05-01', groups: ['courier'] });
    await services.workers.register({ idType: 'resident_id', idNumber, phone: DEMO_WORKER_PHONE, password: DEMO_PASSWORD }, caller.actor);
    // his own request on the public form: 我的维权诉求 lists it
    await services.hotline.submitPublic({ caller: { name: '王建国', phone: DEMO_WORKER_PHONE }, category: 'legal_consult', content: '快递站点连续两个月没有安排休息日，想了解如何维护休息权利', regionCode: '210102' }, { ...caller.actor, userId: null, username: null });
    n++;
  }
  const zhongshan = unions.find((u) => u.regionCode === '210202');
  for (const u of heping.slice(0, 2)) {
    for (let i = 0; i < 2; i++) {
      const { birthYear: _b, ...p } = person(u.regionCode);
      await services.joins.submit({ orgId: u.id, ...p, employer: '美团外卖沈阳站', occupation: '网约送餐员', groups: ['food_delivery', 'new_employment'], channel: 'qr' }, caller.actor);
    }
  }
  const mover = created.find((c) => c.orgId === heping[0]?.id);
  if (mover && zhongshan) await services.transfers.create(caller, { memberId: mover.id, toOrgId: zhongshan.id, reason: '劳动关系转至大连' });
  return n;
}
