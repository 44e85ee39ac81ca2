import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SHOTS, signIn, startServer, type RunningServer } from './server.js';

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

describe('account self-service', () => {
  it('an officer changes their own password from the header; an admin resets another\'s and grants and revokes a role', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await signIn(page, server.url, 'heping');
    await page.getByTestId('current-user').click();
    await page.getByText('修改密码').click();
    await page.getByLabel('当前密码').fill('Demo#Union2026');
    await page.getByLabel('新密码', { exact: true }).fill('Union#Changed2026');
    await page.getByLabel('再次输入新密码').fill('Union#Changed2026x');
    await page.getByRole('dialog').getByRole('button', { name: /修\s*改/ }).click();
    await expect.poll(() => page.getByText('两次输入的密码不一致').count()).toBe(1);
    await page.getByLabel('再次输入新密码').fill('Union#Changed2026');
    await page.screenshot({ path: path.join(SHOTS, 'accounts-01-change-password.png') });
    await page.getByRole('dialog').getByRole('button', { name: /修\s*改/ }).click();
    await expect.poll(() => page.getByText('密码已修改').count()).toBe(1);
    // sign-ins checked from another browser context (one here would replace this page's session)
    const other = (await browser.newContext()).request;
    const res = await other.post(`${server.url}/api/auth/login`, { data: { username: 'heping', password: 'Union#Changed2026' } });
    expect(res.status()).toBe(200);

    await page.goto(`${server.url}/admin/users`);
    await page.getByTestId('reset-heping_street').click();
    await page.getByLabel('新密码').fill('Reset#Union2026x');
    await page.getByRole('dialog').getByRole('button', { name: /重\s*置/ }).click();
    await expect.poll(() => page.getByText('密码已重置').count()).toBe(1);
    expect((await other.post(`${server.url}/api/auth/login`, { data: { username: 'heping_street', password: 'Reset#Union2026x' } })).status()).toBe(200);

    await page.getByTestId('roles-heping_street').click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('.ant-select').first().click();
    await page.keyboard.type('和平区总工会');
    await page.locator('.ant-select-item-option', { hasText: /^和平区总工会$/ }).first().click();
    await dialog.locator('.ant-select').nth(1).click();
    await page.locator('.ant-select-item-option', { hasText: '只读' }).click();
    await dialog.getByRole('button', { name: /授\s*予/ }).click();
    await expect.poll(() => dialog.getByTestId('role-tags').innerText()).toContain('和平区总工会 · 只读');
    await page.screenshot({ path: path.join(SHOTS, 'accounts-02-roles.png') });
    await dialog.getByTestId('role-tags').locator('.ant-tag', { hasText: '和平区总工会 · 只读' }).locator('.ant-tag-close-icon').click();
    await expect.poll(() => dialog.getByTestId('role-tags').innerText()).not.toContain('和平区总工会 · 只读');
  });
});
