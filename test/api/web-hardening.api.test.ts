import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../helpers/app.js';

/** Response headers that keep the console out of frames and scripts to this origin; QR links that a Host header cannot redirect. */
let t: TestApp;
let tree: Tree;
let heping: Session;

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  heping = await login(t.app, 'heping');
});
afterAll(async () => { await t?.close(); });

describe('security headers', () => {
  it('forbid framing and sniffing everywhere; the web app gets a strict CSP, API answers one that allows nothing', async () => {
    const api = await heping.get('/api/auth/me');
    expect(api.headers['x-frame-options']).toBe('DENY');
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['referrer-policy']).toBe('same-origin');
    expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(api.headers['strict-transport-security']).toBeUndefined();
    const page = await t.app.inject({ url: '/' });
    const csp = String(page.headers['content-security-policy']);
    for (const d of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"]) expect(csp).toContain(d);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const docs = await t.app.inject({ url: '/api/docs/' });
    expect(docs.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('send HSTS behind HTTPS (SECURE_COOKIES=1)', async () => {
    const https = await makeTestApp({ SECURE_COOKIES: '1' });
    try {
      expect((await https.app.inject({ url: '/api/health' })).headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    } finally { await https.close(); }
  });
});

describe('QR links', () => {
  it('are built from the Host header only when it names this machine, else refused until PUBLIC_URL is set', async () => {
    const get = (app: TestApp, host: string, s: Session) => app.app.inject({ method: 'GET', url: `/api/orgs/${tree.hepingCompany}/join-qrcode`, headers: { host, cookie: s.cookie } });
    const local = await get(t, 'localhost:3000', heping);
    expect(local.statusCode).toBe(200);
    expect(local.rawPayload.equals(await QRCode.toBuffer(`http://localhost:3000/m/join?org=${tree.hepingCompany}`, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 360 }))).toBe(true);
    for (const host of ['evil.example', 'localhost.evil.example', '127.0.0.1.evil.example', 'gonghui.example.cn']) {
      const res = await get(t, host, heping);
      expect(res.statusCode, host).toBe(422);
      expect(res.json().error.code).toBe('PUBLIC_URL_REQUIRED');
    }
    const site = await makeTestApp({ PUBLIC_URL: 'https://gonghui.example.cn' });
    try {
      const tr = await makeTree(site);
      const s = await login(site.app, 'heping');
      const res = await site.app.inject({ method: 'GET', url: `/api/orgs/${tr.hepingCompany}/join-qrcode`, headers: { host: 'evil.example', cookie: s.cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(await QRCode.toBuffer(`https://gonghui.example.cn/m/join?org=${tr.hepingCompany}`, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 360 }))).toBe(true);
    } finally { await site.close(); }
  });
});

describe('serving the web app', () => {
  it('hashed assets cached for a year and sent compressed when the browser takes it; index.html always revalidated', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const zlib = await import('node:zlib');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonghui-web-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    const js = `console.log(${JSON.stringify('工会'.repeat(2000))});`;
    fs.writeFileSync(path.join(dir, 'assets', 'index-AbC123.js'), js);
    fs.writeFileSync(path.join(dir, 'assets', 'index-AbC123.js.br'), zlib.brotliCompressSync(js));
    const web = await makeTestApp({ WEB_DIR: dir });
    try {
      const page = await web.app.inject({ url: '/admin/members' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-cache');
      const br = await web.app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'br, gzip' } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(js);
      const plain = await web.app.inject({ url: '/assets/index-AbC123.js' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toBe(js);
    } finally {
      await web.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
