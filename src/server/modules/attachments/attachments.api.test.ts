import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../../../test/helpers/app.js';
import { multipartFile } from '../../../../test/helpers/multipart.js';
import { systemActor } from '../../platform/audit.js';
import { systemCaller } from '../../platform/caller.js';
import { cleanFileName } from './service.js';

const LIMIT = 64 * 1024;
let t: TestApp;
let tree: Tree;
let agent: Session;
let heping: Session;
let zhongshan: Session;
let ticket: number;
let otherTicket: number;

/** A small but real PDF (file-type names it by its %PDF- signature and trailer). */
const pdf = (text: string, pad = 0) => Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n${'%'.repeat(pad)}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function upload(s: Session, ticketId: number, name: string, content: Buffer, kind?: string) {
  const mp = multipartFile(name, content);
  return t.app.inject({
    method: 'POST', url: `/api/hotline/tickets/${ticketId}/attachments${kind ? `?kind=${kind}` : ''}`, payload: mp.payload,
    headers: { ...mp.headers, cookie: s.cookie, 'x-csrf-token': s.csrf },
  });
}

/** Every stored file (not the upload area), as paths under DATA_DIR/files. */
function storedFiles(): string[] {
  const root = path.join(t.dataDir, 'files');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile()).sort();
}
const rowCount = async () => Number((await t.db.db.selectFrom('attachment').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await makeTestApp({ ATTACHMENT_LIMIT: String(LIMIT) });
  tree = await makeTree(t);
  agent = await login(t.app, 'agent');
  heping = await login(t.app, 'heping');
  zhongshan = await login(t.app, 'zhongshan');
  const call = (regionCode: string) => ({ channel: 'phone', caller: { name: '钱师傅', phone: '13900002222' }, category: 'wage_arrears', content: '拖欠工资', regionCode, difficulty: 'difficult' });
  ticket = (await agent.post('/api/hotline/tickets', call('210102'))).json().id;
  await agent.post(`/api/hotline/tickets/${ticket}/dispatch`, { orgId: tree.heping });
  otherTicket = (await agent.post('/api/hotline/tickets', call('210202'))).json().id;
  await agent.post(`/api/hotline/tickets/${otherTicket}/dispatch`, { orgId: tree.zhongshan });
});
afterAll(async () => t?.close());

describe('attachments of a hotline ticket', () => {
  it('stores an upload by content hash, lists it with the ticket and streams it back byte for byte', async () => {
    const content = pdf('工资条');
    const res = await upload(heping, ticket, '欠薪证据 (1).pdf', content);
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({ name: '欠薪证据 (1).pdf', size: content.length, contentType: 'application/pdf', sha256: sha(content), kind: 'evidence', kindLabel: '证据材料', sensitive: false });
    expect(storedFiles()).toContain(`${sha(content).slice(0, 2)}/${sha(content)}`);
    const list = (await heping.get(`/api/hotline/tickets/${ticket}/attachments`)).json();
    expect(list.map((x: { id: number }) => x.id)).toEqual([a.id]);
    const dl = await heping.get(`/api/attachments/${a.id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(content)).toBe(true);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toBe("attachment; filename=\"______________1_.pdf\"; filename*=UTF-8''%E6%AC%A0%E8%96%AA%E8%AF%81%E6%8D%AE%20%281%29.pdf");
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    const audit = await t.db.db.selectFrom('audit_log').select(['action']).where('entity_type', '=', 'hotline_ticket').where('entity_id', '=', String(ticket)).execute();
    expect(audit.map((r) => r.action)).toContain('attachment.upload');
    expect(audit.map((r) => r.action)).not.toContain('attachment.download');
  });

  it('keeps one file for two uploads of the same content, also at the same moment', async () => {
    const content = pdf('同一份合同');
    const before = storedFiles().length;
    const [a, b] = await Promise.all([upload(heping, ticket, '合同.pdf', content), upload(agent, ticket, '合同副本.pdf', content)]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).not.toBe(b.json().id);
    expect(storedFiles().length).toBe(before + 1);
    expect((await heping.get(`/api/attachments/${b.json().id}`)).rawPayload.equals(content)).toBe(true);
  });

  it('seals a sensitive kind with SM4 and audits every download of it', async () => {
    const content = pdf('身份证正反面 210102199001011234');
    const res = await upload(heping, ticket, '身份证.pdf', content, 'id_copy');
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({ sensitive: true, kindLabel: '身份证件', sha256: sha(content) });
    const row = await t.db.db.selectFrom('attachment').select(['storage_key']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row.storage_key).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}\.sm4$/);
    expect(row.storage_key).not.toContain(sha(content));
    const onDisk = fs.readFileSync(path.join(t.dataDir, 'files', row.storage_key));
    expect(onDisk.includes(Buffer.from('210102199001011234'))).toBe(false);
    expect(onDisk.includes(Buffer.from('%PDF'))).toBe(false);
    for (let i = 0; i < 2; i++) expect((await heping.get(`/api/attachments/${a.id}`)).rawPayload.equals(content)).toBe(true);
    const downloads = await t.db.db.selectFrom('audit_log').select(['after']).where('action', '=', 'attachment.download').execute();
    expect(downloads.filter((d) => (d.after as { attachmentId: number }).attachmentId === a.id)).toHaveLength(2);
    // a sealed file altered on disk is refused, never sent
    const tampered = Buffer.from(onDisk);
    tampered[40] = (tampered[40] ?? 0) ^ 1;
    fs.writeFileSync(path.join(t.dataDir, 'files', row.storage_key), tampered);
    expect((await heping.get(`/api/attachments/${a.id}`)).statusCode).toBe(500);
    fs.writeFileSync(path.join(t.dataDir, 'files', row.storage_key), onDisk);
  });

  it.each([
    ['a program renamed .jpg', '工资条.jpg', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(5000, 0x90)]), 415, 'ATTACHMENT_TYPE_REFUSED'],
    ['text named .pdf', '说明.pdf', Buffer.from('这不是 PDF，只是一段文字'), 415, 'ATTACHMENT_TYPE_REFUSED'],
    ['an HTML page named .png', 'a.png', Buffer.from('<html><script>alert(1)</script></html>'), 415, 'ATTACHMENT_TYPE_REFUSED'],
    ['an empty file', '空.pdf', Buffer.alloc(0), 400, 'ATTACHMENT_EMPTY'],
    ['a file over the cap', '大.pdf', pdf('大文件', LIMIT + 10), 413, 'PAYLOAD_TOO_LARGE'],
  ])('refuses %s and keeps nothing', async (_l, name, content, status, code) => {
    const files = storedFiles();
    const rows = await rowCount();
    const res = await upload(heping, ticket, name, content);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(storedFiles()).toEqual(files);
    expect(await rowCount()).toBe(rows);
  });

  it('refuses an unknown kind and a body that is not multipart', async () => {
    const res = await upload(heping, ticket, 'a.pdf', pdf('x'), 'selfie');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    const json = await heping.post(`/api/hotline/tickets/${ticket}/attachments`, { file: 'a.pdf' });
    expect(json.statusCode).toBe(415);
  });

  it('an upload that breaks half way leaves no file and no row', async () => {
    const files = storedFiles();
    const rows = await rowCount();
    const head = pdf('前半段', 6000);
    const broken = new Readable({
      read() {
        this.push(head);
        this.destroy(new Error('connection reset'));
      },
    });
    const caller = systemCaller(systemActor);
    await expect(t.services.attachments.upload(caller, 'hotline_ticket', ticket, 'evidence', { filename: 'a.pdf', stream: broken })).rejects.toThrow('connection reset');
    expect(storedFiles()).toEqual(files);
    expect(fs.readdirSync(path.join(t.dataDir, 'files', 'tmp'))).toEqual([]);
    expect(await rowCount()).toBe(rows);
  });

  it('another county neither reads, lists nor adds files of these tickets', async () => {
    const mine = (await upload(zhongshan, otherTicket, '中山区材料.pdf', pdf('中山区'))).json();
    expect(mine.id).toBeGreaterThan(0);
    const foreign = await heping.get(`/api/attachments/${mine.id}`);
    const missing = await heping.get('/api/attachments/2000000000');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).toBe(missing.body);
    expect((await heping.get(`/api/hotline/tickets/${otherTicket}/attachments`)).statusCode).toBe(404);
    const files = storedFiles();
    const add = await upload(heping, otherTicket, 'x.pdf', pdf('越权'));
    expect(add.statusCode).toBe(404);
    expect(add.json().error.code).toBe('TICKET_NOT_FOUND');
    expect(storedFiles()).toEqual(files);
    // a viewer reads the files but adds none
    const viewer = await login(t.app, 'heping_viewer');
    expect((await viewer.get(`/api/hotline/tickets/${ticket}/attachments`)).statusCode).toBe(200);
    expect((await upload(viewer, ticket, 'v.pdf', pdf('查看员'))).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/attachments/${mine.id}` })).statusCode).toBe(401);
  });
});

describe('file names', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\王\\证据.jpg', '证据.jpg'],
    ['a"b\u0000c\r\n.pdf', 'abc.pdf'],
    ['', '附件'],
    ['..', '附件'],
    [`${'长'.repeat(300)}.pdf`, `${'长'.repeat(196)}.pdf`],
  ])('%j is kept as %j', (raw, clean) => {
    expect(cleanFileName(raw)).toBe(clean);
  });
});
