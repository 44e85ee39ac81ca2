import { Type } from 'typebox';
import { ID_TYPES } from '../../platform/idcard.js';

// ---- worker accounts 职工账号 ----
export const RegisterBody = Type.Object({
  idType: Type.Enum(ID_TYPES), idNumber: Type.String({ minLength: 1, maxLength: 40 }),
  phone: Type.String({ minLength: 1, maxLength: 20 }), password: Type.String({ minLength: 1, maxLength: 200 }),
  smsCode: Type.Optional(Type.String({ maxLength: 10, description: '短信验证码（平台开通短信时必填，见 GET /api/worker/auth/options）' })),
}, { additionalProperties: false });
export const SmsCodeBody = Type.Object({ phone: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false });
export const WorkerLoginBody = Type.Object({
  phone: Type.String({ minLength: 1, maxLength: 20 }), password: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false });
export const Worker = Type.Object({
  id: Type.Integer(), name: Type.String(), maskedIdNumber: Type.String(), maskedPhone: Type.String(), memberNo: Type.String(),
  membership: Type.Union([Type.Object({ orgName: Type.String(), joinedOn: Type.String(), status: Type.String() }), Type.Null()]),
});
export const WorkerLoginResponse = Type.Object({ worker: Worker, csrfToken: Type.String() });
