import { Type } from 'typebox';

export const DictType = Type.String({ pattern: '^[a-z_]{2,40}$' });
export const DictParams = Type.Object({ type: DictType });
export const DictItemParams = Type.Object({ type: DictType, code: Type.String({ pattern: '^[A-Za-z0-9_]{1,20}$' }) });
export const DictItem = Type.Object({ code: Type.String(), label: Type.String() });
export const DictItemFull = Type.Object({ code: Type.String(), label: Type.String(), sort: Type.Integer(), enabled: Type.Boolean() });
export const DictQuery = Type.Object({ all: Type.Optional(Type.Boolean({ description: '含已停用项（管理界面用）' })) }, { additionalProperties: false });
export const DictTypes = Type.Array(Type.Object({ type: Type.String(), name: Type.String() }));
export const PutDictItemBody = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 100 }),
    sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
