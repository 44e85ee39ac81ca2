import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SHOTS, signIn as signInAt, startServer, type RunningServer } from './server.js';

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

const signIn = (page: Page, username: string) => signInAt(page, server.url, username);

/** Chooses 省 / 市 / 区县 in the region cascade. */
async function pickRegion(page: Page, names: string[]) {
  await page.getByTestId('region-picker').click();
  for (const name of names) await page.locator('.ant-cascader-menu-item', { hasText: new RegExp(`^${name}$`) }).click();
}

describe('12351 hotline journey', () => {
  it('an agent takes a call, dispatches it to a street union, the street resolves it, the caller evaluates it', async () => {
    const agentPage = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const pageErrors: string[] = [];
    agentPage.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(agentPage, 'liaoning_hotline');
    await agentPage.goto(`${server.url}/admin/hotline/desk`);
    // filing an empty form shows the fields' errors, with no unhandled rejection on the page
    await agentPage.getByRole('button', { name: '受理并生成工单' }).click();
    await expect.poll(() => agentPage.getByText('请选择所在地区').count()).toBe(1);
    expect(pageErrors).toEqual([]);
    // 来电时间 is the antd picker in Chinese, set to now
    expect(await agentPage.getByLabel('来电时间').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await agentPage.reload(); // the call starts on a fresh form, the phone field focused
    // keyboard flow: the phone field has the focus; Enter moves to the next field
    await expect.poll(() => agentPage.evaluate(() => document.activeElement?.id)).toBe('phone');
    await agentPage.keyboard.type('13812345678');
    await agentPage.keyboard.press('Enter');
    await agentPage.keyboard.type('王师傅');
    expect(await agentPage.getByLabel('来电人姓名').inputValue()).toBe('王师傅');
    await agentPage.getByLabel('诉求类别').click();
    await agentPage.getByTitle('欠薪').click();
    await pickRegion(agentPage, ['辽宁省', '沈阳市', '和平区']);
    await agentPage.getByLabel('难点（5 个工作日）').check();
    await agentPage.getByLabel('用人单位（可不填）').fill('沈阳某建筑劳务有限公司');
    await agentPage.getByLabel('诉求内容').fill('工地拖欠三个月工资共 2.4 万元，多次讨要未果');
    await agentPage.screenshot({ path: path.join(SHOTS, 'hotline-01-desk.png') });
    await agentPage.keyboard.press('Control+Enter');
    const link = agentPage.locator('.ant-alert-success a');
    await expect.poll(() => link.count()).toBe(1);
    const ticketNo = (await link.innerText()).trim();
    expect(ticketNo).toMatch(/^\d{14}$/);
    await link.click();
    await expect.poll(() => agentPage.getByTestId('ticket-status').innerText()).toBe('已受理');
    expect(await agentPage.locator('.ant-descriptions').innerText()).toContain('138****5678');

    // dispatch straight down to the street union
    await agentPage.getByRole('button', { name: /^交\s*办$/ }).click();
    const dlg = agentPage.getByRole('dialog');
    await dlg.locator('.ant-select').click();
    await agentPage.keyboard.type('浑河湾');
    await agentPage.getByTitle('浑河湾街道总工会').click();
    await dlg.getByLabel('备注').fill('请街道核实处理');
    await dlg.getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => agentPage.getByTestId('handling-org').innerText()).toBe('浑河湾街道总工会');
    await agentPage.screenshot({ path: path.join(SHOTS, 'hotline-02-dispatched.png'), fullPage: true });

    // the street officer signs and resolves it
    const street = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await signIn(street, 'heping_street');
    // the demo's overdue order is in the street's notices: the bell counts it, a click opens the order and reads it
    const bell = street.getByTestId('notification-bell');
    await expect.poll(() => bell.getAttribute('aria-label')).toMatch(/[1-9]\d* 条未读/);
    const unreadBefore = Number(/(\d+) 条未读/.exec((await bell.getAttribute('aria-label')) ?? '')?.[1]);
    await bell.click();
    const overdueNotice = street.getByTestId('notification-item').filter({ hasText: '【超期】' }).first();
    await expect.poll(() => overdueNotice.count()).toBe(1);
    await street.screenshot({ path: path.join(SHOTS, 'hotline-03a-notices.png') });
    await overdueNotice.click();
    await expect.poll(() => street.url()).toMatch(/\/admin\/hotline\/tickets\/\d+$/);
    await expect.poll(() => bell.getAttribute('aria-label')).toBe(`站内通知，${unreadBefore - 1} 条未读`);
    await street.goto(`${server.url}/admin/hotline/queue`);
    await expect.poll(() => street.getByText(ticketNo).count()).toBe(1);
    await street.screenshot({ path: path.join(SHOTS, 'hotline-03-queue.png') });
    await street.getByText(ticketNo).click();
    await street.getByRole('button', { name: /签\s*收/ }).click();
    await street.getByRole('dialog').getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => street.getByTestId('ticket-status').innerText()).toBe('已签收');
    await street.getByRole('button', { name: /办\s*结/ }).click();
    const rd = street.getByRole('dialog');
    await rd.getByLabel('办理结果').fill('约谈企业负责人，当场支付拖欠工资');
    // a third decimal is refused in the form, before anything is sent
    await rd.getByLabel('追回欠薪金额（元，可不填）').fill('24000.123');
    await rd.getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => rd.getByText('金额最多保留两位小数（精确到分）').count()).toBe(1);
    expect(await street.getByTestId('ticket-status').innerText()).toBe('已签收');
    await rd.getByLabel('追回欠薪金额（元，可不填）').fill('24,000');
    await rd.getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => street.getByTestId('ticket-status').innerText()).toBe('已办结');
    expect(await street.locator('.ant-timeline').innerText()).toMatch(/受理[\s\S]*交办[\s\S]*签收[\s\S]*办结/);
    expect(await street.locator('.ant-descriptions').innerText()).toContain('追回 ¥24,000.00');
    // the street attaches the signed payment receipt; a program renamed .pdf is refused
    await street.locator('input[type=file]').setInputFiles({ name: '工资支付凭证.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n') });
    await expect.poll(() => street.getByTestId('attachment-link').allInnerTexts()).toEqual(['工资支付凭证.pdf']);
    await street.locator('input[type=file]').setInputFiles({ name: '凭证.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(5000, 0x90)]) });
    await expect.poll(() => street.getByText('文件类型不允许', { exact: false }).count()).toBeGreaterThan(0);
    expect(await street.getByTestId('attachment-link').count()).toBe(1);
    const download = await street.request.get(`${server.url}${await street.getByTestId('attachment-link').getAttribute('href') ?? ''}`);
    expect((await download.body()).subarray(0, 8).toString()).toBe('%PDF-1.4');
    await street.screenshot({ path: path.join(SHOTS, 'hotline-04-resolved.png'), fullPage: true });

    // the caller checks progress on a phone and rates the result
    const phone = await browser.newPage({ viewport: { width: 375, height: 812 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    await phone.goto(`${server.url}/m/hotline/lookup?ticketNo=${ticketNo}`);
    await phone.getByLabel('提交时的手机号').fill('13800000000');
    await phone.getByRole('button', { name: /查\s*询/ }).click();
    await expect.poll(() => phone.getByText('未找到该工单').count()).toBe(1);
    await phone.getByLabel('提交时的手机号').fill('13812345678');
    await phone.getByRole('button', { name: /查\s*询/ }).click();
    await expect.poll(() => phone.getByTestId('lookup-status').innerText()).toBe('已办结');
    expect(await phone.locator('body').innerText()).not.toContain('王师傅');
    // nothing is chosen for the caller: submitting without a choice asks for one
    expect(await phone.getByLabel('基本满意').isChecked()).toBe(false);
    await phone.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => phone.getByText('请选择满意程度').count()).toBe(1);
    await phone.getByLabel('基本满意').check();
    await phone.getByLabel('评价意见').fill('处理及时，工资已到账');
    await phone.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => phone.getByTestId('lookup-status').innerText()).toBe('已评价');
    await phone.screenshot({ path: path.join(SHOTS, 'hotline-05-mobile-evaluated.png'), fullPage: true });

    // the evaluation shows in the agent's timeline and in the statistics
    await agentPage.reload();
    await expect.poll(() => agentPage.getByTestId('ticket-status').innerText()).toBe('已评价');
    expect(await agentPage.locator('body').innerText()).toContain('处理及时，工资已到账');
    expect(await agentPage.title()).toBe('工单详情 · 智慧工会');
    await agentPage.goto(`${server.url}/admin/hotline/stats`);
    await expect.poll(() => agentPage.getByText('追回欠薪', { exact: true }).count()).toBe(1);
    await expect.poll(async () => (await agentPage.locator('.ant-statistic').allInnerTexts()).join(' ')).toMatch(/¥(24,000\.00|48,000\.50)/); // the demo's order of 24,000.50 counts when it falls in this year
    await agentPage.waitForTimeout(500);
    await agentPage.screenshot({ path: path.join(SHOTS, 'hotline-06-stats.png'), fullPage: true });
  });

  it('a worker submits a request from the mobile page', async () => {
    const phone = await browser.newPage({ viewport: { width: 375, height: 812 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    await phone.goto(`${server.url}/m/hotline`);
    await phone.getByLabel('姓名').fill('李女士');
    await phone.getByLabel('手机号').fill('13912345678');
    await phone.getByLabel('诉求类别').click();
    await phone.getByTitle('劳动合同').click();
    await pickRegion(phone, ['辽宁省', '大连市', '中山区']);
    await phone.getByLabel('诉求内容').fill('公司入职三个月仍未签订劳动合同');
    await phone.screenshot({ path: path.join(SHOTS, 'hotline-07-mobile-form.png'), fullPage: true });
    await phone.getByRole('button', { name: /提交诉求/ }).click();
    await expect.poll(() => phone.getByText('诉求已受理').count()).toBe(1);
    expect(await phone.getByTestId('ticket-no').innerText()).toMatch(/^\d{14}/);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await phone.screenshot({ path: path.join(SHOTS, 'hotline-08-mobile-done.png'), fullPage: true });
    // a request from 大连中山区 waits in that district's queue, not the province's
    const ticketNo = await phone.getByTestId('ticket-no').innerText();
    const zs = (await browser.newContext()).request;
    const signed = await zs.post(`${server.url}/api/auth/login`, { data: { username: 'zhongshan', password: 'Demo#Union2026' } });
    expect(signed.status()).toBe(200);
    const queue = await (await zs.get(`${server.url}/api/hotline/tickets?limit=200`)).json() as { items: Array<{ ticketNo: string; handlingOrgName: string }> };
    expect(queue.items.find((t) => ticketNo.startsWith(t.ticketNo))?.handlingOrgName).toBe('中山区总工会');
  });
});
