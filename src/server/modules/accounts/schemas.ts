import { NameText } from '../../platform/http.js';
import { Type, type Static } from 'typebox';
import { ROLES } from '../../platform/policy.js';
import { ListQuery } from '../../platform/pagination.js';

export const RoleName = Type.Enum(ROLES, { description: '角色：admin 管理员 / officer 工会干部 / hotline_agent 热线坐席 / viewer 只读' });
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 50 }), password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);

export const RoleHoldingSchema = Type.Object({
  id: Type.Optional(Type.Integer()),
  orgId: Type.Integer(),
  orgName: Type.String(),
  role: Type.String(),
});

export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  name: Type.String(),
  disabled: Type.Boolean(),
  locked: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  roles: Type.Array(RoleHoldingSchema, { description: '调用者管辖范围内的角色' }),
});
export type User = Static<typeof UserSchema>;

export const MeSchema = Type.Object({
  user: Type.Object({ id: Type.Integer(), username: Type.String(), name: Type.String() }),
  roles: Type.Array(RoleHoldingSchema),
  permissions: Type.Array(Type.String(), { description: '当前账号在任一工会拥有的权限（界面据此显示菜单和按钮）' }),
});

export const LoginResponse = Type.Object({
  user: Type.Object({ id: Type.Integer(), username: Type.String(), name: Type.String() }),
  csrfToken: Type.String({ description: '此后所有 POST/PUT/PATCH/DELETE 请求须带 x-csrf-token 头' }),
});

export const CreateUserBody = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{2,49}$', description: '字母开头，3–50 位字母、数字、_ . -' }),
    name: NameText({ maxLength: 50 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
    roles: Type.Array(Type.Object({ orgId: Id, role: RoleName }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(NameText({ maxLength: 50 })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    disabled: Type.Optional(Type.Boolean()),
    unlock: Type.Optional(Type.Boolean({ description: 'true 解除因密码错误造成的锁定' })),
  },
  { additionalProperties: false },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const GrantRoleBody = Type.Object({ orgId: Id, role: RoleName }, { additionalProperties: false });
export const UserParams = Type.Object({ id: Id });
export const RoleParams = Type.Object({ id: Id, roleId: Id });
export const ListUsersQuery = Type.Object(
  { q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), orgId: Type.Optional(Id), ...ListQuery },
  { additionalProperties: false },
);
export const UserList = Type.Object({ items: Type.Array(UserSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });
