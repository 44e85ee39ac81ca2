import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/client.js';

/**
 * A worker's lookup on the phone pages by a number and the phone given with it (工单号, 申请编号):
 * the result with the phone that found it (a follow-up, such as a rating, sends both again), or
 * the server's Chinese message.
 */
export function usePublicLookup<R>(lookup: (no: string, phone: string) => Promise<R>) {
  const [result, setResult] = useState<{ r: R; phone: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const find = async (no: string, phone: string) => {
    setError(null);
    try {
      setResult({ r: await lookup(no.trim(), phone.trim()), phone: phone.trim() });
    } catch (e) {
      setResult(null);
      setError(e instanceof ApiError ? e.message : '网络错误，请稍后再试');
    }
  };
  return { result, setResult, error, setError, find };
}

/** The lookup form: the number, the phone, 查询; the error under it. */
export function PublicLookupForm({ numberLabel, phoneLabel, maxLength = 30, initialNumber, onFind, error }: {
  numberLabel: string; phoneLabel: string; maxLength?: number; initialNumber?: string | null; onFind: (no: string, phone: string) => Promise<void>; error: string | null;
}) {
  return (
    <>
      <Card size="small">
        <Form layout="vertical" onFinish={(v: { no: string; phone: string }) => void onFind(v.no, v.phone)} initialValues={{ no: initialNumber ?? '' }}>
          <Form.Item name="no" label={numberLabel} rules={[{ required: true, message: `请填写${numberLabel}` }]}><Input inputMode="numeric" maxLength={maxLength} /></Form.Item>
          <Form.Item name="phone" label={phoneLabel} rules={[{ required: true, message: '请填写手机号' }]}><Input inputMode="tel" maxLength={20} /></Form.Item>
          <Button type="primary" htmlType="submit" block>查询</Button>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </>
  );
}
