import { NameText } from '../../platform/http.js';
import { Type, type Static } from 'typebox';
import { ORG_KINDS, ORG_LEVELS } from '../../../common/enums.js';
import { ListQuery } from '../../platform/pagination.js';

export const OrgLevel = Type.Enum(ORG_LEVELS, { description: '工会层级' });
export const OrgKind = Type.Enum(ORG_KINDS, { description: '组织类别' });
const Name = NameText({ minLength: 2, maxLength: 100, description: '工会名称' });
const RegionCode = Type.String({ pattern: '^\\d{6}$', description: 'GB/T 2260 六位行政区划代码' });
const CreditCode = Type.String({ minLength: 18, maxLength: 40, description: '统一社会信用代码（81/89 开头）' });
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

export const OrgParams = Type.Object({ id: Id });

export const CreateOrgBody = Type.Object(
  {
    name: Name,
    parentId: Id,
    level: OrgLevel,
    kind: OrgKind,
    regionCode: RegionCode,
    creditCode: Type.Optional(Type.Union([CreditCode, Type.Null()])),
    industryOrgId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateOrgBody = Static<typeof CreateOrgBody>;

export const UpdateOrgBody = Type.Object(
  {
    name: Type.Optional(Name),
    level: Type.Optional(OrgLevel),
    kind: Type.Optional(OrgKind),
    regionCode: Type.Optional(RegionCode),
    creditCode: Type.Optional(Type.Union([CreditCode, Type.Null()])),
    industryOrgId: Type.Optional(Type.Union([Id, Type.Null()])),
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, description: '乐观锁版本号；与当前版本不符则返回 409' })),
  },
  { additionalProperties: false },
);
export type UpdateOrgBody = Static<typeof UpdateOrgBody>;

export const MoveOrgBody = Type.Object({ newParentId: Id }, { additionalProperties: false });

export const ListOrgsQuery = Type.Object(
  {
    parentId: Type.Optional(Id),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    level: Type.Optional(OrgLevel),
    ...ListQuery,
  },
  { additionalProperties: false },
);
export type ListOrgsQuery = Static<typeof ListOrgsQuery>;

export const Org = Type.Object({
  id: Type.Integer(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  path: Type.String({ description: '物化路径，如 /1/5/23/' }),
  depth: Type.Integer(),
  name: Type.String(),
  level: OrgLevel,
  kind: OrgKind,
  regionCode: Type.Union([Type.String(), Type.Null()]),
  regionName: Type.Union([Type.String(), Type.Null()]),
  creditCode: Type.Union([Type.String(), Type.Null()]),
  industryOrgId: Type.Union([Type.Integer(), Type.Null()]),
  childCount: Type.Optional(Type.Integer()),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Org = Static<typeof Org>;

export const OrgList = Type.Object({ items: Type.Array(Org), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const OrgStats = Type.Object({
  orgId: Type.Integer(),
  orgCount: Type.Integer({ description: '下级工会总数（不含本级）' }),
  grassrootsCount: Type.Integer({ description: '其中基层工会数' }),
  childCount: Type.Integer({ description: '直属下级工会数' }),
  memberCount: Type.Integer({ description: '本级及下级在会会员数（等于子树内 active 会籍数）' }),
  directMemberCount: Type.Integer({ description: '本级直属会员数' }),
  retainedCount: Type.Integer({ description: '本级及下级保留会籍人数' }),
  newMembersThisYear: Type.Integer({ description: '本级及下级今年入会且在会的会员数' }),
});
