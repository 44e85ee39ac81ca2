import type { FormInstance } from 'antd';
import { ApiError } from '../api/client.js';

/**
 * Puts a server error on the form: `details.fields` on the matching inputs, otherwise returns the
 * message for a toast. Returns the message shown globally (or null when all went on fields).
 */
export function applyServerError(form: FormInstance, err: unknown): string | null {
  if (!(err instanceof ApiError)) return '网络错误，请稍后再试';
  const fields = err.details?.fields;
  if (fields && typeof fields === 'object') {
    const known = Object.entries(fields).filter(([name]) => form.getFieldInstance(name) !== undefined || form.getFieldsValue(true)[name] !== undefined);
    form.setFields(known.map(([name, msg]) => ({ name, errors: [String(msg)] })));
    if (known.length === Object.keys(fields).length && known.length > 0) return null;
  }
  return err.message;
}
