import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/server/platform/audit.js';
import { systemCaller } from '../../src/server/platform/caller.js';
import { makeTestApp, makeTree, type TestApp, type Tree } from '../helpers/app.js';
import { launchBrowser, SHOTS, signIn } from './server.js';

/**
 * The kernel's pages (待审核, 公示) before a service uses them: the real app, built web included,
 * listening on a port, with a review chain and a 公示 kind registered as a service would.
 */
let t: TestApp;
let tree: Tree;
let url = '';
let browser: Browser;

beforeAll(async () => {
  t = await makeTestApp({ WEB_DIR: path.resolve('dist/web') });
  tree = await makeTree(t);
  t.services.reviews.register({ entityType: 'e2e_case', label: '困难职工建档', permission: 'member.manage', top: () => 'county', deadline: 'working_days:5', onDecided: async () => {} });
  t.services.publicity.register('e2e_case', { label: '困难职工建档', permission: 'member.manage' });
  await t.services.users.create(systemCaller(systemActor), { username: 'company_officer', name: '企业工会', password: 'Officer@Test2026', roles: [{ orgId: tree.hepingCompany, role: 'officer' }] });
  const company = (await t.services.orgs.publicInfo({ id: tree.hepingCompany }))!;
  const county = (await t.services.orgs.publicInfo({ id: tree.heping }))!;
  await t.db.db.transaction().execute(async (trx) => {
    await t.services.reviews.start(trx, { entityType: 'e2e_case', entityId: 1, provinceCode: '21', org: { id: company.id, path: company.path }, summary: '困难职工建档 张*丰 · 恒通物流', submittedBy: null });
    await t.services.publicity.publish(trx, {
      entityType: 'e2e_case', entityId: 2, provinceCode: '21', org: { id: county.id, path: county.path }, title: '和平区总工会 2026 年困难职工建档拟认定名单',
      items: [{ name: '李小龙', unit: '和平区恒通物流有限公司', item: '困难职工建档', amountFen: null }, { name: '王芳', unit: '沈阳某商贸公司', item: '金秋助学', amountFen: 300_000 }],
      workingDays: 5, createdBy: null,
    });
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the kernel pages', () => {
  it('待审核: the company union approves, the county returns for correction with a reason', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await signIn(page, url, 'company_officer', 'Officer@Test2026');
    await page.goto(`${url}/admin/reviews`);
    await expect.poll(() => page.getByText('困难职工建档 张*丰 · 恒通物流').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'kernel-01-reviews.png') });
    await page.locator('[data-testid^="review-approve-"]').click();
    await page.getByLabel('审核意见').fill('情况属实');
    await page.getByRole('dialog').getByRole('button', { name: /通\s*过/ }).click();
    await expect.poll(() => page.getByText('暂无待审核事项').count()).toBe(1);

    const county = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await signIn(county, url, 'heping_officer', 'Officer@Test2026');
    await county.goto(`${url}/admin/reviews`);
    await expect.poll(() => county.getByText('第 2 级').count()).toBe(1);
    await county.locator('[data-testid^="review-return-"]').click();
    await county.getByRole('dialog').getByRole('button', { name: /退回补正/ }).click();
    await expect.poll(() => county.getByText('请填写原因').count()).toBe(1);
    await county.getByLabel('需补正的内容').fill('请补充家庭收入证明');
    await county.screenshot({ path: path.join(SHOTS, 'kernel-02-return.png') });
    await county.getByRole('dialog').getByRole('button', { name: /退回补正/ }).click();
    await expect.poll(() => county.getByText('暂无待审核事项').count()).toBe(1);
    const steps = await t.db.db.selectFrom('review_step').select(['seq', 'status', 'reason']).orderBy('id').execute();
    expect(steps).toEqual([{ seq: 1, status: 'approved', reason: '情况属实' }, { seq: 2, status: 'returned', reason: '请补充家庭收入证明' }]);
  });

  it('公示 on the phone: masked names, the window, and an objection', async () => {
    const phone = await browser.newPage({ viewport: { width: 375, height: 812 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    await phone.goto(`${url}/m/publicity?org=${tree.heping}`);
    await expect.poll(() => phone.getByText('和平区总工会 2026 年困难职工建档拟认定名单').count()).toBe(1);
    const body = await phone.locator('body').innerText();
    expect(body).toContain('李**');
    expect(body).not.toContain('李小龙');
    expect(body).toContain('¥3,000.00');
    expect(body).toContain('公示中');
    await phone.screenshot({ path: path.join(SHOTS, 'kernel-03-publicity.png'), fullPage: true });
    await phone.locator('[data-testid^="object-"]').click();
    await phone.getByLabel('异议内容').fill('李某家庭有经营性收入，不符合条件');
    await phone.getByLabel('联系电话').fill('1391234');
    await phone.getByRole('button', { name: /提交异议/ }).click();
    await expect.poll(() => phone.getByText('电话号码应为 11 位手机号或带区号的固定电话').count()).toBe(1);
    await phone.getByLabel('联系电话').fill('13912340000');
    await phone.getByRole('button', { name: /提交异议/ }).click();
    await expect.poll(() => phone.getByText('异议已提交').count()).toBe(1);
    await phone.screenshot({ path: path.join(SHOTS, 'kernel-04-objection.png'), fullPage: true });
    const o = await t.db.db.selectFrom('publicity_objection').select(['contact_masked', 'status']).execute();
    expect(o).toEqual([{ contact_masked: '139****0000', status: 'open' }]);
  });
});
