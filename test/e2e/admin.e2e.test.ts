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

describe('admin shell', () => {
  it('a county officer logs in, creates a grassroots union under the county and sees it in the tree', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    // the strict CSP must not block anything the app needs
    const blocked: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) blocked.push(m.text()); });
    await page.goto(`${server.url}/admin/`);
    await page.waitForURL(/\/admin\/login/);
    // demo accounts with the published password exist: the console says so
    await expect.poll(() => page.getByTestId('demo-banner').count()).toBe(1);
    expect(await page.getByTestId('demo-banner').innerText()).toContain('演示环境');
    await page.getByLabel('用户名').fill('heping');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByText('用户名或密码错误').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, '01-login-error.png') });

    await page.getByLabel('密码').fill('Demo#Union2026');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/\/admin\/orgs/);
    await expect.poll(() => page.getByTestId('org-title').textContent()).toBe('和平区总工会');
    // the county officer sees the county, not the city above it or another county
    const menu = await page.locator('.ant-layout-sider').innerText();
    expect(menu).toContain('组织管理');
    expect(menu).toContain('账号管理');
    expect(menu).not.toContain('数据字典');
    expect(await page.locator('.ant-tree').innerText()).not.toContain('沈阳市总工会');
    await page.screenshot({ path: path.join(SHOTS, '02-org-tree.png') });

    await page.getByRole('button', { name: /新建下级工会/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('工会名称').fill('和平区新星电子科技有限公司工会委员会');
    expect(await dialog.getByLabel('行政区划代码').inputValue()).toBe('210102');
    await dialog.getByLabel('统一社会信用代码').fill('81210102MA0XXXXX00');
    await page.screenshot({ path: path.join(SHOTS, '03-create-dialog.png') });
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    // a bad credit code is refused with the reason on the field, and nothing is created
    await expect.poll(() => dialog.getByText(/统一社会信用代码/).count()).toBeGreaterThan(1);
    expect(await dialog.locator('.ant-form-item-explain-error').innerText()).toMatch(/校验位|非法字符/);
    await page.screenshot({ path: path.join(SHOTS, '04-create-error.png') });
    await dialog.getByLabel('统一社会信用代码').fill('');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    const tree = page.locator('.ant-tree');
    await expect.poll(() => tree.getByText('和平区新星电子科技有限公司工会委员会').count()).toBe(1);
    await expect.poll(() => page.locator('.ant-table').getByText('和平区新星电子科技有限公司工会委员会').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, '05-created-in-tree.png'), fullPage: true });
    expect(blocked).toEqual([]);

    // and it is really there, through the API, with the county officer's session
    const res = await page.evaluate(async () => (await fetch('/api/orgs?q=' + encodeURIComponent('新星电子科技'))).json());
    expect(res.items).toHaveLength(1);
    expect(res.items[0].level).toBe('grassroots');
    await page.close();
  });

  it('the accounts and audit pages show what the officer may see', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    await signIn(page, server.url, 'heping');
    await page.goto(`${server.url}/admin/users`);
    await expect.poll(() => page.getByText('heping_officer').count()).toBeGreaterThan(0);
    expect(await page.getByText('zhongshan', { exact: true }).count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, '06-users.png') });
    await page.goto(`${server.url}/admin/audit`);
    await expect.poll(() => page.locator('.ant-table-row').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, '07-audit.png') });
    await page.close();
  });

  it('the root admin sees the holiday calendar with make-up working days and overrides a day', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await signIn(page, server.url, 'admin', 'Chief#E2e2026');
    await page.goto(`${server.url}/admin/calendar`);
    await page.locator('.ant-card-extra .ant-select').first().click();
    await page.getByTitle('2025 年').click();
    await page.locator('.ant-card-extra .ant-select').nth(1).click();
    await page.getByTitle('10 月').click();
    await expect.poll(() => page.getByTestId('day-2025-10-11').innerText()).toContain('班');
    expect(await page.getByTestId('day-2025-10-01').innerText()).toContain('休');
    await page.screenshot({ path: path.join(SHOTS, '08-calendar.png'), fullPage: true });
    await page.getByTestId('day-2025-10-20').click();
    await page.getByLabel('休息日（含法定节假日）').check();
    await page.getByLabel(/名称/).fill('测试调整');
    await page.getByRole('dialog').getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => page.getByTestId('day-2025-10-20').innerText()).toContain('休 测试调整');
    await page.close();
  });
});
