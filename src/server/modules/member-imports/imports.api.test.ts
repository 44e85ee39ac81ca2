import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../../../test/helpers/app.js';
import { mobile, residentId } from '../../../../test/helpers/ids.js';
import { multipartFile } from '../../../../test/helpers/multipart.js';
import { zipOf } from '../../../../test/helpers/zip.js';
import { createImportService } from './service.js';
import { makeUnionCreditCode } from '../../platform/credit-code.js';
import { createPiiCipher } from '../../platform/crypto.js';
import { TEST_PII_KEY } from '../../../../test/helpers/app.js';

let t: TestApp;
let tree: Tree;
let heping: Session;
let zhongshan: Session;
let viewer: Session;
let companyCode = '';

const HEADER = ['姓名*', '证件类型', '证件号码*', '手机号码*', '民族', '学历', '就业状况', '户籍类型', '是否农民工', '会员群体', '入会日期', '所在工会统一社会信用代码'];

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('会员名册');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
async function upload(s: Session, orgId: number, name: string, body: Buffer) {
  const mp = multipartFile(name, body);
  return t.app.inject({ method: 'POST', url: `/api/imports/members?orgId=${orgId}`, headers: { ...mp.headers, cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: mp.payload });
}
async function readSheet(buf: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  const rows: unknown[][] = [];
  wb.worksheets[0]?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}
const active = async (orgId: number) => Number((await sql<{ n: number }>`select count(*)::int as n from membership where org_id = ${orgId} and status = 'active'`.execute(t.db.db)).rows[0]?.n);

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  heping = await login(t.app, 'heping_officer');
  zhongshan = await login(t.app, 'zhongshan_officer');
  viewer = await login(t.app, 'heping_viewer');
  companyCode = (await heping.get(`/api/orgs/${tree.hepingCompany}`)).json().creditCode;
});
afterAll(async () => { await t.close(); });

describe('roster template', () => {
  it('downloads with the header row and a text-formatted ID column', async () => {
    const res = await heping.get('/api/imports/members/template');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('filename*=UTF-8');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    expect((wb.worksheets[0]?.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    expect(wb.worksheets[0]?.getColumn(3).numFmt).toBe('@');
    expect(wb.worksheets[1]?.name).toBe('填写说明');
  });
});

describe('roster import (集体登记入会)', () => {
  it('takes good rows, reports every bad one with a masked value, and re-importing changes nothing', async () => {
    const elsewhere = residentId(901, '210202');
    expect((await zhongshan.post('/api/members', { orgId: tree.zhongshanCompany, name: '外单位', idType: 'resident_id', idNumber: elsewhere, phone: mobile(901) })).statusCode).toBe(201);
    const dup = residentId(11);
    const rows: unknown[][] = [
      ['张伟', '居民身份证', residentId(10), mobile(10), '汉族', '大学本科', '在岗', '城镇户籍', '否', '快递员、新就业形态劳动者', '2023-03-01', ''],
      ['李娜', '', dup, mobile(11), '', '', '', '', '是', '', new Date('2022-07-15T00:00:00Z'), companyCode],
      ['王强', '居民身份证', residentId(12).slice(0, 17) + (residentId(12).endsWith('1') ? '2' : '1'), mobile(12), '', '', '', '', '', '', '', ''],
      ['赵敏', '居民身份证', 210102199001010000, mobile(13), '', '', '', '', '', '', '', ''],
      ['钱多', '居民身份证', dup, mobile(14), '', '', '', '', '', '', '', ''],
      ['孙悟', '居民身份证', residentId(15), mobile(15), '', '', '', '', '', '', '', makeUnionCreditCode('1', '210102', 777)],
      ['周杰', '居民身份证', elsewhere, mobile(16), '', '', '', '', '', '', '', ''],
      ['吴刚', '居民身份证', residentId(17), '1381234', '', '', '', '', '', '', '', ''],
      ['郑和', '护照', 'E12345678', mobile(18), '', '', '', '', '', '', '', ''],
      ['冯巩', '驾驶证', '123456', mobile(19), '', '', '', '', '', '', '', ''],
      ['陈红', '居民身份证', residentId(20), mobile(20), '火星族', '', '', '', '', '', '', ''],
      [],
      ['褚遂良', '居民身份证', residentId(21), mobile(21), '', '', '', '', '', '', '2099-01-01', ''],
    ];
    const file = await xlsx(rows);
    const before = await active(tree.hepingCompany);
    const res = await upload(heping, tree.hepingCompany, '恒通物流名册.xlsx', file);
    expect(res.statusCode, res.body).toBe(202);
    const { jobId } = res.json();
    expect((await heping.get(`/api/imports/${jobId}`)).json()).toMatchObject({ status: 'queued', progress: 0 });
    expect(await t.services.imports.runOnce()).toBe(jobId);
    const job = (await heping.get(`/api/imports/${jobId}`)).json();
    expect(job).toMatchObject({ status: 'done', total: 12, inserted: 3, updated: 0, skipped: 0, errorCount: 9, progress: 1 });
    expect(await active(tree.hepingCompany)).toBe(before + 3);

    const errs = await heping.get(`/api/imports/${jobId}/errors.xlsx`);
    expect(errs.statusCode).toBe(200);
    const sheet = await readSheet(errs.rawPayload);
    expect(sheet[0]).toEqual(['行号', '列', '填写内容（已脱敏）', '原因']);
    const byRow = new Map(sheet.slice(1).map((r) => [r[0], r]));
    expect(byRow.get(4)?.[3]).toContain('校验位');
    expect(byRow.get(5)?.[3]).toContain('Excel 存成了数字');
    expect(byRow.get(6)?.[3]).toContain('与第 3 行的证件号码重复');
    expect(byRow.get(7)?.[3]).toContain('不存在');
    expect(byRow.get(8)?.[3]).toContain('其他工会会员，请办理转会');
    expect(byRow.get(9)?.[1]).toBe('手机号码');
    expect(byRow.get(11)?.[3]).toContain('证件类型');
    expect(byRow.get(12)?.[3]).toContain('民族');
    expect(byRow.get(14)?.[3]).toContain('晚于今天');
    expect(byRow.get(4)?.[2]).toMatch(/^210102\*{8}\d{3}[\dX]$/);
    expect(JSON.stringify(sheet)).not.toContain(residentId(12).slice(6, 14) + residentId(12).slice(14, 16));
    expect(JSON.stringify(sheet)).not.toContain(elsewhere);

    // the same file again: nothing changes
    const again = (await upload(heping, tree.hepingCompany, '恒通物流名册.xlsx', file)).json();
    await t.services.imports.runOnce();
    expect((await heping.get(`/api/imports/${again.jobId}`)).json()).toMatchObject({ status: 'done', inserted: 0, updated: 0, skipped: 3, errorCount: 9 });
    expect(await active(tree.hepingCompany)).toBe(before + 3);

    // a changed phone is an update, not a second membership
    rows[0] = ['张伟', '居民身份证', residentId(10), mobile(99), '汉族', '大学本科', '在岗', '城镇户籍', '否', '快递员、新就业形态劳动者', '2023-03-01', ''];
    const third = (await upload(heping, tree.hepingCompany, '名册-修订.xlsx', await xlsx(rows))).json();
    await t.services.imports.runOnce();
    expect((await heping.get(`/api/imports/${third.jobId}`)).json()).toMatchObject({ inserted: 0, updated: 1, skipped: 2 });
    const found = (await heping.get(`/api/members?q=${mobile(99)}`)).json().items;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: '张伟', channel: 'roster', joinedOn: '2023-03-01', groups: ['courier', 'new_employment'], ethnicity: '01', education: '20' });

    // a person on record without a current membership (withdrew) rejoins as the same person
    expect((await heping.post(`/api/members/${found[0].id}/leave`, { type: 'withdraw', reason: '本人申请退会' })).statusCode).toBe(200);
    const people = await t.db.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const fourth = (await upload(heping, tree.hepingCompany, '名册-再入会.xlsx', await xlsx(rows))).json();
    await t.services.imports.runOnce();
    expect((await heping.get(`/api/imports/${fourth.jobId}`)).json()).toMatchObject({ status: 'done', inserted: 1, updated: 0, skipped: 2, errorCount: 9 });
    expect(Number((await t.db.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(Number(people.n));
    const back = (await heping.get(`/api/members?q=${mobile(99)}`)).json().items;
    expect(back.map((m: { personId: number; status: string }) => [m.personId, m.status])).toEqual([[found[0].personId, 'active']]);
    expect(await active(tree.hepingCompany)).toBe(before + 3);
  });

  it('refreshes a person on record by the rule every way in shares: an empty optional cell keeps the value, a returning member gets the new name and phone', async () => {
    const id = residentId(64, '210102', '19860606');
    const row = (name: string, phone: string, ethnicity: string) => [name, '', id, phone, ethnicity, '', '', '', '', '', '', ''];
    const { jobId } = (await upload(heping, tree.hepingCompany, 'first.xlsx', await xlsx([row('吕布', mobile(64), '汉族')]))).json();
    await t.services.imports.runOnce();
    expect((await heping.get(`/api/imports/${jobId}`)).json()).toMatchObject({ status: 'done', inserted: 1 });
    const m = (await heping.get(`/api/members?q=${id}`)).json().items[0];
    expect(m.ethnicity).toBe('01');
    // the same roster again with the 民族 cell left empty: nothing changes (the form path keeps it too)
    const { jobId: again } = (await upload(heping, tree.hepingCompany, 'again.xlsx', await xlsx([row('吕布', mobile(64), '')]))).json();
    await t.services.imports.runOnce();
    expect((await heping.get(`/api/imports/${again}`)).json()).toMatchObject({ status: 'done', skipped: 1, updated: 0 });
    expect((await heping.get(`/api/members/${m.id}`)).json().ethnicity).toBe('01');
    // the member leaves, then comes back through a roster under a new name and phone
    expect((await heping.post(`/api/members/${m.id}/leave`, { type: 'withdraw', reason: '个人要求退会', reasonCode: '5' })).statusCode).toBe(200);
    const { jobId: back } = (await upload(heping, tree.hepingCompany, 'back.xlsx', await xlsx([row('吕奉先', mobile(65), '')]))).json();
    await t.services.imports.runOnce();
    expect((await heping.get(`/api/imports/${back}`)).json()).toMatchObject({ status: 'done', inserted: 1 });
    const found = (await heping.get(`/api/members?q=${encodeURIComponent('吕奉先')}`)).json().items;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: '吕奉先', maskedPhone: `139****${mobile(65).slice(-4)}`, status: 'active', ethnicity: '01' });
    // the ended membership still reads as it ended
    expect((await heping.get(`/api/members/${m.id}`)).json()).toMatchObject({ name: '吕布', status: 'withdrawn' });
  });

  it('reads .csv too', async () => {
    const csv = `\uFEFF${HEADER.join(',')}\n"刘备",居民身份证,${residentId(30)},${mobile(30)},,,,,,,,\n关羽,,${residentId(31)},${mobile(31)},,,,,,"保安员,快递员",,\n`;
    const { jobId } = (await upload(heping, tree.hepingCompany, 'roster.csv', Buffer.from(csv))).json();
    await t.services.imports.runOnce();
    expect((await heping.get(`/api/imports/${jobId}`)).json()).toMatchObject({ status: 'done', total: 2, inserted: 2, errorCount: 0 });
    const m = (await heping.get(`/api/members?q=${residentId(31)}`)).json().items[0];
    expect(m.groups).toEqual(['security_guard', 'courier']);
  });

  it('resumes after a crash without losing or doubling rows', async () => {
    const rows = Array.from({ length: 23 }, (_, i) => [`员工${'甲乙丙丁戊己庚辛壬癸'[i % 10]}`, '', residentId(200 + i, '210102', '19850505'), mobile(200 + i), '', '', '', '', '', '', '', '']);
    const { jobId } = (await upload(heping, tree.hepingCompany, 'big.xlsx', await xlsx(rows))).json();
    let clock = Date.now();
    const small = createImportService({
      db: t.db.db, pii: createPiiCipher(TEST_PII_KEY), orgs: t.services.orgs, dictionaries: t.services.dictionaries, members: t.services.members,
      dir: fs.mkdtempSync(path.join(os.tmpdir(), 'imports-')), batchSize: 5, staleMs: 30_000, now: () => new Date(clock),
    });
    const before = await active(tree.hepingCompany);
    expect(await small.runOnce({ crashAfterBatches: 2 })).toBe(jobId);
    const mid = (await heping.get(`/api/imports/${jobId}`)).json();
    expect(mid).toMatchObject({ status: 'running', inserted: 10 });
    expect(mid.progress).toBeGreaterThan(0);
    expect(await active(tree.hepingCompany)).toBe(before + 10);
    // while the heartbeat is fresh nobody takes it over
    expect(await small.runOnce()).toBeNull();
    clock += 60_000;
    expect(await small.runOnce()).toBe(jobId);
    expect((await heping.get(`/api/imports/${jobId}`)).json()).toMatchObject({ status: 'done', total: 23, inserted: 23, errorCount: 0 });
    expect(await active(tree.hepingCompany)).toBe(before + 23);
  });

  it('keeps an uploaded roster readable by the server\'s user only until its job ends', async () => {
    const { jobId } = (await upload(heping, tree.hepingCompany, 'private.csv', Buffer.from(`${HEADER.join(',')}\n张辽,,${residentId(63)},${mobile(63)},,,,,,,,\n`))).json();
    const row = await t.db.db.selectFrom('import_job').select('file_path').where('id', '=', jobId).executeTakeFirstOrThrow();
    expect(fs.statSync(row.file_path).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(row.file_path)).mode & 0o777).toBe(0o700);
    await t.services.imports.runOnce();
    expect(fs.existsSync(row.file_path)).toBe(false);
  });

  it('refuses files that are not rosters, and fails a job without the header with a clear reason', async () => {
    expect((await upload(heping, tree.hepingCompany, 'notes.txt', Buffer.from('hello'))).statusCode).toBe(400);
    const fake = await upload(heping, tree.hepingCompany, 'fake.xlsx', Buffer.from('not a zip at all'));
    expect(fake.statusCode).toBe(400);
    expect(fake.json().error.message).toContain('.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['名字', '号码']);
    const { jobId } = (await upload(heping, tree.hepingCompany, 'wrong.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))).json();
    await t.services.imports.runOnce();
    const job = (await heping.get(`/api/imports/${jobId}`)).json();
    expect(job.status).toBe('failed');
    expect(job.failure).toContain('缺少列：姓名、证件号码、手机号码');
    // the uploaded roster (PII in clear) is deleted once its job ends, done or failed
    const row = await t.db.db.selectFrom('import_job').select('file_path').where('id', '=', jobId).executeTakeFirstOrThrow();
    expect(fs.existsSync(row.file_path)).toBe(false);
    // a zip that is not a workbook, and a workbook cut short, fail at once with the same clear reason
    const good = Buffer.from(await wb.xlsx.writeBuffer());
    for (const [name, body] of [['docx.xlsx', await zipOf({ 'word/document.xml': '<w:document/>' })], ['cut.xlsx', good.subarray(0, Math.floor(good.length / 2))]] as const) {
      const up = (await upload(heping, tree.hepingCompany, name, body)).json();
      await t.services.imports.runOnce();
      const failed = (await heping.get(`/api/imports/${up.jobId}`)).json();
      expect(failed, name).toMatchObject({ status: 'failed', inserted: 0 });
      expect(failed.failure, name).toContain('不是有效的 .xlsx 工作簿');
    }
  });

  it('refuses a file over UPLOAD_LIMIT with 413 and keeps nothing of it', async () => {
    const small = await makeTestApp({ UPLOAD_LIMIT: '4096' });
    try {
      const tr = await makeTree(small);
      const s = await login(small.app, 'heping_officer');
      const big = await xlsx(Array.from({ length: 300 }, (_, i) => ['张三', '', residentId(i), mobile(i)]));
      expect(big.length).toBeGreaterThan(4096);
      const mp = multipartFile('big.xlsx', big);
      const res = await small.app.inject({ method: 'POST', url: `/api/imports/members?orgId=${tr.hepingCompany}`, headers: { ...mp.headers, cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: mp.payload });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
      const dir = path.join(small.dataDir, 'imports');
      expect(fs.readdirSync(dir)).toEqual([]);
      expect(await small.db.db.selectFrom('import_job').selectAll().execute()).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('fails a hostile workbook or CSV in its own job with a Chinese reason, and keeps serving', async () => {
    const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const cases: Array<[string, Buffer, string]> = [
      ['col.xlsx', await zipOf({ 'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData><row r="1"><c r="ZZZZZZZZZZ1" t="inlineStr"><is><t>姓名</t></is></c></row></sheetData></worksheet>` }), '最大列 XFD'],
      ['row.xlsx', await zipOf({ 'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData><row r="4294967297"><c t="inlineStr"><is><t>姓名</t></is></c></row></sheetData></worksheet>` }), '超出 Excel 的范围'],
      ['bomb.xlsx', await zipOf({ 'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData></sheetData></worksheet>`, 'xl/sharedStrings.xml': ' '.repeat(32 * 1024 * 1024) }), '压缩炸弹'],
      ['quote.csv', Buffer.from(`${HEADER.join(',')}\n"张三,,${residentId(60)},${mobile(60)}\n`), '引号没有闭合'],
    ];
    for (const [name, body, reason] of cases) {
      const up = await upload(heping, tree.hepingCompany, name, body);
      expect(up.statusCode, name).toBe(202);
      await t.services.imports.runOnce();
      const job = (await heping.get(`/api/imports/${up.json().jobId}`)).json();
      expect(job, name).toMatchObject({ status: 'failed', inserted: 0 });
      expect(job.failure, name).toContain(reason);
      const row = await t.db.db.selectFrom('import_job').select('file_path').where('id', '=', up.json().jobId).executeTakeFirstOrThrow();
      expect(fs.existsSync(row.file_path)).toBe(false);
    }
    expect((await heping.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('gives up on a job whose worker died too often: failed, file deleted, not taken back again', async () => {
    // the runner's job of an import, as `times` killed processes would leave it
    const dieOn = async (importId: number, times: number) => {
      const r = await t.db.db.updateTable('job').set({ status: 'running', attempts: times, heartbeat_at: new Date(Date.now() - 3_600_000) })
        .where('kind', '=', 'roster_import').where(sql`payload->>'importId'`, '=', String(importId)).executeTakeFirst();
      expect(Number(r.numUpdatedRows)).toBe(1);
    };
    const { jobId } = (await upload(heping, tree.hepingCompany, 'dies.xlsx', await xlsx([['张飞', '', residentId(61), mobile(61)]]))).json();
    const file = (await t.db.db.selectFrom('import_job').select('file_path').where('id', '=', jobId).executeTakeFirstOrThrow()).file_path;
    // as a process killed while reading it, three times over, would leave it
    await dieOn(jobId, 3);
    expect(await t.services.imports.runOnce()).toBeNull();
    const job = (await heping.get(`/api/imports/${jobId}`)).json();
    expect(job.status).toBe('failed');
    expect(job.failure).toContain('已中断 3 次');
    expect(fs.existsSync(file)).toBe(false);
    // one death fewer: it is taken back and finishes
    const { jobId: j2 } = (await upload(heping, tree.hepingCompany, 'once.xlsx', await xlsx([['张苞', '', residentId(62), mobile(62)]]))).json();
    await dieOn(j2, 2);
    expect(await t.services.imports.runOnce()).toBe(j2);
    expect((await heping.get(`/api/imports/${j2}`)).json()).toMatchObject({ status: 'done', inserted: 1 });
  });

  it('stops a reader that spins, without holding back another union\'s import', async () => {
    const jobs = createImportService({
      db: t.db.db, pii: createPiiCipher(TEST_PII_KEY), orgs: t.services.orgs, dictionaries: t.services.dictionaries, members: t.services.members,
      dir: fs.mkdtempSync(path.join(os.tmpdir(), 'imports-')), stallMs: 1500, concurrency: 2, readerScript: new URL('../../../../test/helpers/stuck-reader.mjs', import.meta.url),
    });
    const stuck = (await upload(heping, tree.hepingCompany, 'spin.csv', Buffer.from(`${HEADER.join(',')}\nSPIN\n`))).json().jobId as number;
    const other = (await upload(zhongshan, tree.zhongshanCompany, 'ok.csv', Buffer.from(`${HEADER.join(',')}\n`))).json().jobId as number;
    const errors: unknown[] = [];
    const stop = jobs.start(50, (err) => errors.push(err));
    try {
      const status = async (id: number) => (await t.db.db.selectFrom('import_job').select(['status', 'failure', 'finished_at']).where('id', '=', id).executeTakeFirstOrThrow());
      const until = async (id: number, want: string) => { for (let i = 0; i < 200 && (await status(id)).status !== want; i++) await new Promise((r) => setTimeout(r, 50)); return status(id); };
      const done = await until(other, 'done');
      expect(done.status).toBe('done');
      expect((await status(stuck)).status).toBe('running'); // the other union's roster went by while this one spun
      const failed = await until(stuck, 'failed');
      expect(failed.status).toBe('failed');
      expect(failed.failure).toContain('没有进展');
      expect(failed.finished_at!.getTime()).toBeGreaterThan(done.finished_at!.getTime());
      expect(errors).toEqual([]);
    } finally { stop(); }
  });

  it('keeps imports inside scope', async () => {
    const file = await xlsx([['外人', '', residentId(50), mobile(50)]]);
    expect((await upload(zhongshan, tree.hepingCompany, 'x.xlsx', file)).statusCode).toBe(404);
    const { jobId } = (await upload(heping, tree.hepingCompany, 'x.xlsx', file)).json();
    expect((await zhongshan.get(`/api/imports/${jobId}`)).statusCode).toBe(404);
    expect((await zhongshan.get(`/api/imports/${jobId}/errors.xlsx`)).statusCode).toBe(404);
    expect((await viewer.get(`/api/imports/${jobId}`)).statusCode).toBe(403);
    await t.services.imports.runOnce();
    // a row naming a union of another county is refused
    const zsCode = (await zhongshan.get(`/api/orgs/${tree.zhongshanCompany}`)).json().creditCode;
    const { jobId: j2 } = (await upload(heping, tree.hepingCompany, 'y.xlsx', await xlsx([['外派', '', residentId(51), mobile(51), '', '', '', '', '', '', '', zsCode]]))).json();
    await t.services.imports.runOnce();
    expect((await heping.get(`/api/imports/${j2}`)).json()).toMatchObject({ inserted: 0, errorCount: 1 });
  });
});

describe('roster export', () => {
  it('streams the roster masked; revealed only with the permission, and audited', async () => {
    const res = await viewer.get(`/api/exports/members?orgId=${tree.heping}`);
    expect(res.statusCode).toBe(200);
    const rows = await readSheet(res.rawPayload);
    expect(rows[0]?.[0]).toBe('会员编号');
    const count = Number((await sql<{ n: number }>`select count(*)::int as n from membership m
      where m.status in ('active','retained') and m.org_path like (select path from org where id = ${tree.heping}) || '%'`.execute(t.db.db)).rows[0]?.n);
    expect(count).toBeGreaterThan(5);
    expect(rows.length - 1).toBe(count);
    expect(rows.slice(1).every((r) => String(r[3]).includes('****') && String(r[4]).includes('****'))).toBe(true);
    // a revealed roster is never the side effect of a GET (a link, a prefetch): POST with a reason, CSRF-checked
    for (const s of [viewer, heping]) {
      const got = await s.get(`/api/exports/members?orgId=${tree.heping}&reveal=true`);
      expect(got.statusCode).toBe(400);
      expect(got.json().error.message).toContain('POST');
    }
    expect((await viewer.post('/api/exports/members', { orgId: tree.heping, reveal: true, reason: '核对名册' })).statusCode).toBe(403);
    expect((await heping.post('/api/exports/members', { orgId: tree.heping, reveal: true })).json().error.details.fields.reason).toContain('事由');
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/exports/members', headers: { cookie: heping.cookie }, payload: { orgId: tree.heping, reveal: true, reason: '核对名册' } });
    expect(noCsrf.statusCode).toBe(403);
    const full = await readSheet((await heping.post('/api/exports/members', { orgId: tree.heping, reveal: true, reason: '核对名册' })).rawPayload);
    expect(full.slice(1).some((r) => /^\d{17}[\dX]$/.test(String(r[3])))).toBe(true);
    const audit = await t.db.db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'member.export').orderBy('id').execute();
    expect(audit.map((a) => a.after)).toEqual([{ reveal: false, count }, { reveal: true, count, reason: '核对名册' }]);
    expect((await zhongshan.get(`/api/exports/members?orgId=${tree.heping}`)).statusCode).toBe(404);
    expect((await zhongshan.post('/api/exports/members', { orgId: tree.heping, reveal: true, reason: '越权导出' })).statusCode).toBe(404);
    expect((await zhongshan.post('/api/exports/members', { orgId: tree.heping, reveal: false })).statusCode).toBe(404);
    expect(await t.db.db.selectFrom('audit_log').select('id').where('action', '=', 'member.export').execute()).toHaveLength(2);
  });
});

