import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentId } from '../helpers/ids.js';
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

/** A grassroots union of 和平区 (from the demo), found through the officer's own API session. */
async function hepingUnion(page: Page): Promise<{ id: number; name: string }> {
  const r = await page.request.get(`${server.url}/api/orgs?q=${encodeURIComponent('和平')}&limit=50`);
  const items = (await r.json() as { items: Array<{ id: number; name: string; level: string }> }).items;
  const u = items.find((o) => o.level === 'grassroots');
  if (!u) throw new Error('no grassroots union in 和平区');
  return u;
}

describe('joining by QR code on a phone', () => {
  it('a worker joins by the union QR link at 375 px, an officer approves, the card shows and verifies', async () => {
    const officer = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await signIn(officer, 'heping_officer');
    const union = await hepingUnion(officer);

    const phone = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    await phone.goto(`${server.url}/m/join?org=${union.id}`);
    await expect.poll(() => phone.getByTestId('join-org-name').innerText()).toContain(union.name);
    const id = residentId(777, '210102', '19960618');
    await phone.getByLabel('姓名').fill('韩梅梅');
    await phone.getByLabel('证件号码').fill('210102199606187771'); // wrong check character first
    await phone.getByLabel('手机号').fill('13898765432');
    await phone.getByLabel('工作单位').fill('饿了么沈阳站');
    await phone.getByLabel('网约送餐员').check();
    await phone.getByTestId('join-agree').click();
    await phone.getByRole('button', { name: '提交入会申请' }).click();
    await expect.poll(() => phone.locator('.ant-form-item-explain-error').first().innerText()).toContain('校验位');
    await phone.screenshot({ path: path.join(SHOTS, 'members-01-join-error.png'), fullPage: true });
    await phone.getByLabel('证件号码').fill(id);
    await phone.getByRole('button', { name: '提交入会申请' }).click();
    const appNo = (await phone.getByTestId('application-no').innerText({ timeout: 10_000 })).trim();
    expect(appNo).toMatch(/^\d{16}$/);
    // nothing wider than the phone
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await phone.screenshot({ path: path.join(SHOTS, 'members-02-join-done.png'), fullPage: true });

    // the officer sees it in 入会审核 and approves
    await officer.goto(`${server.url}/admin/join-applications`);
    const approve = officer.getByTestId(`approve-${appNo}`);
    await approve.waitFor();
    expect(await officer.locator('.ant-table-row', { hasText: appNo }).innerText()).toContain('韩梅梅');
    await officer.screenshot({ path: path.join(SHOTS, 'members-03-review.png') });
    await approve.click();
    await expect.poll(() => officer.locator('.ant-message').innerText()).toContain('韩梅梅 成为会员');

    // the worker checks the status and opens the card
    await phone.goto(`${server.url}/m/join/status?applicationNo=${appNo}`);
    await phone.getByLabel('申请时的手机号').fill('13898765432');
    await phone.getByRole('button', { name: /^查\s*询$/ }).click();
    await expect.poll(() => phone.getByTestId('application-status').innerText()).toBe('已通过');
    await phone.getByTestId('open-card').click();
    await expect.poll(() => phone.getByTestId('card-name').innerText()).toBe('韩梅梅');
    expect(await phone.getByTestId('member-card').innerText()).toContain(union.name);
    expect(await phone.locator('img[alt="会员证二维码"]').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await phone.screenshot({ path: path.join(SHOTS, 'members-04-card.png'), fullPage: true });

    // a station scans the QR: the verify page says valid, with the name masked
    const card = await (await phone.request.post(`${server.url}/api/cards/mine`, { data: { applicationNo: appNo, phone: '13898765432' } })).json() as { token: string };
    await phone.goto(`${server.url}/m/verify?token=${encodeURIComponent(card.token)}`);
    await expect.poll(() => phone.getByTestId('verify-result').innerText()).toBe(`韩** · ${union.name}`);
    await phone.screenshot({ path: path.join(SHOTS, 'members-05-verify.png'), fullPage: true });

    // the member is in the roster, masked, and counted in the union's figures
    await officer.goto(`${server.url}/admin/members`);
    await officer.getByTestId('member-search').locator('input').fill('韩梅梅');
    await officer.keyboard.press('Enter');
    const row = officer.locator('.ant-table-row', { hasText: '韩梅梅' });
    await row.waitFor();
    expect(await row.innerText()).toContain(`210102********${id.slice(-4)}`);
    expect(await row.innerText()).toContain('在会'); // the roster's summary rows carry status and union
    await officer.screenshot({ path: path.join(SHOTS, 'members-06-roster.png') });
    await row.click();
    await expect.poll(() => officer.getByTestId('history-item').first().innerText()).toContain('入会');
    await officer.screenshot({ path: path.join(SHOTS, 'members-07-member.png') });
  });
});

describe('roster import in the browser', () => {
  it('uploads an .xlsx roster, shows the progress bar to completion and offers the error rows', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await signIn(page, 'heping_officer');
    const union = await hepingUnion(page);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('会员名册');
    ws.addRow(['姓名*', '证件类型', '证件号码*', '手机号码*']);
    for (let i = 0; i < 40; i++) ws.addRow([`职工${'甲乙丙丁戊己庚辛壬癸'[i % 10] ?? ''}${'子丑寅卯'[Math.floor(i / 10)] ?? ''}`, '居民身份证', residentId(500 + i, '210102', '19900202'), `1370000${String(1000 + i)}`]);
    ws.addRow(['坏行', '居民身份证', '210102199002020001', '13700009999']);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roster-')), '恒通名册.xlsx');
    await wb.xlsx.writeFile(file);

    await page.goto(`${server.url}/admin/imports`);
    await page.getByTestId('import-org').click();
    await page.keyboard.type(union.name.slice(0, 6));
    await page.getByTitle(union.name).click();
    await page.locator('input[type=file]').setInputFiles(file);
    const row = page.locator('.ant-table-row', { hasText: '恒通名册.xlsx' });
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toContain('已完成');
    expect(await row.locator('[data-testid^="errors-"]').innerText()).toContain('1 行');
    expect((await row.innerText()).split('\t')).toContain('40');
    expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    // what a person sees once the bar has finished moving: filled to the end
    await page.waitForFunction(() => {
      const bar = document.querySelector('.ant-table-row .ant-progress-track');
      const rail = document.querySelector('.ant-table-row .ant-progress-rail');
      return !!bar && !!rail && bar.getBoundingClientRect().width >= rail.getBoundingClientRect().width - 1;
    }, undefined, { timeout: 5_000 });
    await page.screenshot({ path: path.join(SHOTS, 'members-08-import.png') });

    // the revealed roster is posted for with a reason, never fetched by a link, and arrives as a download
    const plainLink = await page.getByRole('link', { name: /导出会员名册/ }).getAttribute('href');
    expect(plainLink).not.toContain('reveal');
    await page.getByText('导出完整证件号和手机号').click();
    await page.getByTestId('export-reason').fill('年度会员核查');
    await page.screenshot({ path: path.join(SHOTS, 'members-09-export-revealed.png') });
    const download = page.waitForEvent('download');
    await page.getByTestId('export-revealed').click();
    const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'export-')), 'roster.xlsx');
    await (await download).saveAs(saved);
    const out = new ExcelJS.Workbook();
    await out.xlsx.readFile(saved);
    const ids = (out.worksheets[0]?.getColumn(4).values ?? []).slice(2).map(String);
    expect(ids).toContain(residentId(500, '210102', '19900202'));
  });
});
