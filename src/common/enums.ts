/** Enumerations shared by server and web, each value once, with its Chinese label. */

/** org level 工会层级 */
export const ORG_LEVELS = ['national', 'province', 'city', 'county', 'street', 'grassroots', 'branch', 'group'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];
export const ORG_LEVEL_LABELS: Record<OrgLevel, string> = {
  national: '全国',
  province: '省级',
  city: '市级',
  county: '县级',
  street: '乡镇（街道）',
  grassroots: '基层工会',
  branch: '工会分会',
  group: '工会小组',
};

/** org kind 组织类别 */
export const ORG_KINDS = ['federation', 'industry', 'grassroots', 'branch', 'group'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
export const ORG_KIND_LABELS: Record<OrgKind, string> = {
  federation: '总工会/工会联合会',
  industry: '产业/行业工会',
  grassroots: '基层工会',
  branch: '工会分会',
  group: '工会小组',
};

/** role 角色 */
export const ROLE_LABELS: Record<string, string> = {
  admin: '管理员',
  officer: '工会干部',
  hotline_agent: '热线坐席',
  viewer: '只读查看',
};
