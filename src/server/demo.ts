import type { Services } from './app.js';
import { systemActor } from './platform/audit.js';
import { makeUnionCreditCode } from './platform/credit-code.js';
import { regionChildren, regionByCode, streetsOf } from './platform/region.js';
import { systemScope } from './platform/scope.js';

/** Password of every demo officer account (documented in the README). */
export const DEMO_PASSWORD = 'Gonghui@2026';

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

export interface DemoSummary { orgs: number; users: string[] }

/**
 * Loads a realistic province into a new database: 辽宁省总工会 with its real cities and counties
 * (GB/T 2260), street unions, a few hundred grassroots unions with valid credit codes, an industry
 * union, a multi-level enterprise union, and officer accounts at each level. Runs through the
 * services, so every row obeys the same rules and is audited.
 */
export async function loadDemo(services: Services, rootId: number, rootLevel: 'national' | 'province'): Promise<DemoSummary> {
  const scope = systemScope();
  const actor = { ...systemActor, username: 'demo' };
  const rand = rng(2351);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
  let orgs = 0;
  let serial = 1000;
  const create = async (parentId: number, name: string, level: string, kind: string, regionCode: string, creditCode?: string, industryOrgId?: number) => {
    orgs++;
    return services.orgs.create(scope, actor, {
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
        await create(parent.id, name, 'grassroots', 'grassroots', county.code, makeUnionCreditCode('1', county.code, serial++), industry);
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

  for (const o of officers) {
    await services.users.create(scope, actor, { username: o.username, name: o.name, password: DEMO_PASSWORD, roles: [{ orgId: o.orgId, role: o.role }] });
  }
  return { orgs, users: officers.map((o) => o.username) };
}
