import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, makeTree, type TestApp, type Tree } from '../../../../test/helpers/app.js';
import { mobile, residentId } from '../../../../test/helpers/ids.js';
import { loadConfig, ConfigError } from '../../config.js';

// The deployment's SMS gateway adapter, as WORKER_SMS=webhook posts to it.
const sent: Array<{ phone: string; text: string }> = [];
const gateway = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => { body += c.toString(); });
  req.on('end', () => { sent.push(JSON.parse(body) as { phone: string; text: string }); res.end('ok'); });
});
let t: TestApp;
let tree: Tree;
let ip = 0;
const send = (method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, remoteAddress: `10.44.${Math.floor(++ip / 250)}.${ip % 250}`, ...(payload ? { payload } : {}) });
const codeFor = (phone: string) => /验证码为 (\d{6})/.exec(sent.filter((s) => s.phone === phone).at(-1)?.text ?? '')?.[1];

beforeAll(async () => {
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  t = await makeTestApp({ WORKER_SMS: 'webhook', WORKER_SMS_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms` });
  tree = await makeTree(t);
});
afterAll(async () => { await t?.close(); gateway.close(); });

describe('the SMS one-time code step (WORKER_SMS)', () => {
  it('is a documented setting, checked at start', () => {
    expect(loadConfig({}).workerSms).toBe('off');
    expect(() => loadConfig({ WORKER_SMS: 'carrier-pigeon' })).toThrow(ConfigError);
    expect(() => loadConfig({ WORKER_SMS: 'webhook' })).toThrow(/WORKER_SMS_URL/);
  });

  it('when on: a code to the phone on record, then registration with it; wrong, reused or missing codes refused', async () => {
    const heping = await login(t.app, 'heping');
    const m = { orgId: tree.hepingCompany, name: '韩雪', idType: 'resident_id', idNumber: residentId(610), phone: mobile(610), joinedOn: '2024-05-01' };
    expect((await heping.post('/api/members', m)).statusCode).toBe(201);
    expect((await send('GET', '/api/worker/auth/options')).json()).toEqual({ smsCode: true });
    const reg = (smsCode?: string) => send('POST', '/api/worker/auth/register', { idType: 'resident_id', idNumber: m.idNumber, phone: m.phone, password: 'Worker#Pass2026', ...(smsCode ? { smsCode } : {}) });
    expect((await reg()).json().error.code).toBe('SMS_CODE_INVALID');

    const a = await send('POST', '/api/worker/auth/sms-code', { phone: m.phone });
    expect(a.statusCode).toBe(202);
    // a phone nobody has gets the same answer and no message
    const b = await send('POST', '/api/worker/auth/sms-code', { phone: mobile(611) });
    expect([b.statusCode, b.json()]).toEqual([202, a.json()]);
    expect(sent.map((s) => s.phone)).toEqual([m.phone]);
    // a second ask within the minute sends nothing more
    await send('POST', '/api/worker/auth/sms-code', { phone: m.phone });
    expect(sent).toHaveLength(1);
    const code = codeFor(m.phone)!;
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await reg(wrong)).json().error.code).toBe('SMS_CODE_INVALID');
    expect(await t.db.db.selectFrom('worker_account').selectAll().execute()).toEqual([]);
    const ok = await reg(code);
    expect(ok.statusCode, ok.body).toBe(201);
    // spent: the same code cannot open a second account or be replayed
    expect((await t.db.db.selectFrom('worker_otp').selectAll().execute())).toEqual([]);
    expect((await send('POST', '/api/worker/auth/sms-code', { phone: '12' })).statusCode).toBe(400);
    // the code is never stored in clear
    expect(JSON.stringify(await t.db.db.selectFrom('audit_log').selectAll().execute())).not.toContain(code);
  });

  it('locks a code after five wrong tries', async () => {
    const heping = await login(t.app, 'heping');
    const m = { orgId: tree.hepingCompany, name: '韩冰', idType: 'resident_id', idNumber: residentId(612), phone: mobile(612), joinedOn: '2024-05-01' };
    await heping.post('/api/members', m);
    await send('POST', '/api/worker/auth/sms-code', { phone: m.phone });
    const code = codeFor(m.phone)!;
    const reg = (smsCode: string) => send('POST', '/api/worker/auth/register', { idType: 'resident_id', idNumber: m.idNumber, phone: m.phone, password: 'Worker#Pass2026', smsCode });
    const bad = code === '999999' ? '888888' : '999999';
    for (let i = 0; i < 5; i++) expect((await reg(bad)).json().error.code).toBe('SMS_CODE_INVALID');
    expect((await reg(code)).json().error.code).toBe('SMS_CODE_INVALID');
  });
});
