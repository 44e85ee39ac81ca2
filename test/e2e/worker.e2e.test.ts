import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SHOTS, startServer, type RunningServer } from './server.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('我的 on the phone', () => {
  it('the demo worker signs in with phone and password and shows the member card; a wrong password is refused', async () => {
    const phone = await browser.newPage({ viewport: { width: 375, height: 812 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    await phone.goto(`${server.url}/m/me`);
    await phone.getByLabel('手机号').fill('13912345678');
    await phone.getByLabel('密码').fill('Wrong#Pass2026');
    await phone.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => phone.getByTestId('worker-error').innerText()).toContain('手机号或密码错误');
    await phone.getByLabel('密码').fill('Demo#Union2026');
    await phone.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => phone.getByTestId('worker-home').innerText()).toContain('王建国');
    expect(await phone.getByTestId('worker-home').innerText()).toContain('139****5678');
    await phone.getByText('电子会员证').click();
    await expect.poll(() => phone.getByTestId('worker-card').locator('img').count()).toBe(1);
    await phone.screenshot({ path: path.join(SHOTS, 'worker-01-me.png'), fullPage: true });
    // my own 12351 requests: the one made on the public form with the phone on record
    await phone.getByTestId('me-hotline').click();
    await expect.poll(() => phone.getByTestId('my-requests').innerText()).toContain('法律咨询');
    expect(await phone.getByTestId('my-requests').innerText()).toContain('已受理');
    await phone.getByTestId('me-join').click();
    await expect.poll(() => phone.getByTestId('my-applications').innerText()).toContain('没有入会申请记录');
    await phone.getByTestId('me-hotline').click();
    await phone.screenshot({ path: path.join(SHOTS, 'worker-02-my-requests.png'), fullPage: true });
    // the worker's session opens no officer page
    expect((await phone.request.get(`${server.url}/api/auth/me`)).status()).toBe(401);
    await phone.getByRole('button', { name: /退出登录/ }).click();
    await expect.poll(() => phone.getByRole('button', { name: /登\s*录/ }).count()).toBe(1);
  });
});
