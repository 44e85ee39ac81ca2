import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { columnOf, CompactStrings, countSheetRows, isDateFormat, readSheetRows, RowKeySet, SHEET_LIMITS, SpreadsheetError } from './excel.js';

describe('CompactStrings', () => {
  it('returns what was pushed, across chunk boundaries and multi-byte text', () => {
    const c = new CompactStrings();
    const words = Array.from({ length: 120_000 }, (_, i) => (i % 3 === 0 ? `张三${i}` : i % 3 === 1 ? `${'x'.repeat(i % 40)}${i}` : ''));
    for (const w of words) c.push(w);
    expect(c.size).toBe(words.length);
    for (const i of [0, 1, 2, 59_999, 87_381, 119_999]) expect(c.get(i)).toBe(words[i]);
    expect(c.get(-1)).toBeUndefined();
    expect(c.get(words.length)).toBeUndefined();
  });
});

describe('RowKeySet', () => {
  it('remembers the first row of each key through growth', () => {
    const s = new RowKeySet();
    const key = (i: number) => (i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0') + i.toString(16).padStart(8, '0');
    for (let i = 0; i < 200_000; i++) expect(s.firstOrAdd(key(i), i + 2)).toBeUndefined();
    expect(s.firstOrAdd(key(0), 999_999)).toBe(2);
    expect(s.firstOrAdd(key(123_456), 999_999)).toBe(123_458);
  });
});

describe('readSheetRows', () => {
  it('reads shared strings, numbers, dates and rich text from the first sheet of an .xlsx', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow(['姓名', '号码', '日期']);
    ws.addRow(['王芳', 110105194912310000, new Date('2020-05-01T00:00:00Z')]);
    ws.addRow([{ richText: [{ text: '李' }, { text: '娜' }] }, '13800138000', null]);
    wb.addWorksheet('其他').addRow(['不读']);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xl-')), 'r.xlsx');
    await wb.xlsx.writeFile(file);
    const rows = [];
    for await (const r of readSheetRows(file, 'xlsx')) rows.push(r);
    expect(rows.map((r) => r.rowNo)).toEqual([1, 2, 3]);
    expect(rows[1]?.cells[0]).toBe('王芳');
    expect(typeof rows[1]?.cells[1]).toBe('number');
    expect(rows[1]?.cells[2]).toBeInstanceOf(Date);
    expect(rows[2]?.cells.slice(0, 2)).toEqual(['李娜', '13800138000']);
  });

  it('reads a .csv with a BOM and quoted fields', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'csv-')), 'r.csv');
    fs.writeFileSync(file, '\uFEFF姓名,群体\n"王芳","快递员,保安员"\n');
    const rows = [];
    for await (const r of readSheetRows(file, 'csv')) rows.push(r);
    expect(rows).toEqual([{ rowNo: 1, cells: ['姓名', '群体'] }, { rowNo: 2, cells: ['王芳', '快递员,保安员'] }]);
  });
});

describe('countSheetRows', () => {
  const tmp = (name: string) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'count-')), name);

  it('counts the data rows of the first sheet of an .xlsx as a full read would: blank and formatted-empty rows left out', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow(['姓名', '号码']);
    for (let i = 0; i < 2500; i++) ws.addRow([`王${i}`, 13800000000 + i]);
    ws.getRow(3000).getCell(1).numFmt = '@'; // a formatted cell with no value: written as a row without values
    ws.addRow([null, '只有第二列']); // one value is enough
    ws.getCell('A3005').value = { richText: [{ text: '李' }, { text: '娜' }] };
    wb.addWorksheet('其他').addRow(['不算']);
    const file = tmp('r.xlsx');
    await wb.xlsx.writeFile(file);
    let read = -1;
    for await (const r of readSheetRows(file, 'xlsx')) if (read < 0 || r.cells.some((c) => c !== null && c !== '')) read += 1;
    expect(read).toBe(2502);
    expect(await countSheetRows(file, 'xlsx')).toBe(2502);
  });

  it('counts inline strings and a sheet that only has its header', async () => {
    const file = tmp('i.xlsx');
    const w = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
    const ws = w.addWorksheet('名册');
    ws.addRow(['姓名']).commit();
    ws.addRow(['张三']).commit();
    await ws.commit();
    await w.commit();
    expect(await countSheetRows(file, 'xlsx')).toBe(1);
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('名册').addRow(['姓名']);
    const f2 = tmp('e.xlsx');
    await empty.xlsx.writeFile(f2);
    expect(await countSheetRows(f2, 'xlsx')).toBe(0);
  });

  it('counts .csv records, not lines, and skips blank ones', async () => {
    const file = tmp('r.csv');
    fs.writeFileSync(file, '\uFEFF姓名,备注\n王芳,"两行\n备注"\n,\n李娜,\n');
    expect(await countSheetRows(file, 'csv')).toBe(2);
  });

  it('refuses a file that is not a zip', async () => {
    const file = tmp('bad.xlsx');
    fs.writeFileSync(file, 'not a workbook');
    await expect(countSheetRows(file, 'xlsx')).rejects.toThrow();
  });
});

/** An .xlsx written by hand, part by part, as other programs (WPS, .NET, Python) write them. */
async function handMadeXlsx(parts: Record<string, string | Buffer>): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hand-')), 'h.xlsx');
  const zip = new yazl.ZipFile();
  for (const [name, body] of Object.entries(parts)) zip.addBuffer(Buffer.isBuffer(body) ? body : Buffer.from(body), name);
  zip.end();
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject));
  return file;
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

describe('readSheetRows on .xlsx written by other programs', () => {
  it('follows the workbook to its first sheet and reads prefixes, entities, CDATA, phonetic guides, inline strings, gaps and missing references', async () => {
    const file = await handMadeXlsx({
      // the second sheet part comes first in the zip, the first sheet (tab order) is sheet2.xml
      'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>不读</t></is></c></row></sheetData></worksheet>`,
      'xl/workbook.xml': `<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr/><x:sheets><x:sheet name="名册" sheetId="1" r:id="rId7"/><x:sheet name="其他" sheetId="2" r:id="rId1"/></x:sheets></x:workbook>`,
      'xl/_rels/workbook.xml.rels': '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId7" Type="worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>',
      'xl/sharedStrings.xml': `<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:si><x:t>姓名</x:t></x:si><x:si><x:r><x:t>王</x:t></x:r><x:r><x:t xml:space="preserve">芳 </x:t></x:r><x:rPh sb="0" eb="1"><x:t>ワン</x:t></x:rPh></x:si><x:si><x:t>A&amp;B &lt;工会&gt; &#x5DE5;&#20250;</x:t></x:si></x:sst>`,
      'xl/styles.xml': `<styleSheet ${NS}><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="14"/></cellXfs></styleSheet>`,
      'xl/worksheets/sheet2.xml': `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
        <x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row>
        <x:row r="3"><x:c r="A3" t="s"><x:v>1</x:v></x:c><x:c r="C3" t="s"><x:v>2</x:v></x:c><x:c r="D3" s="1"><x:v>43952</x:v></x:c><x:c r="E3" s="2"><x:v>43953.5</x:v></x:c></x:row>
        <x:row><x:c t="inlineStr"><x:is><x:t><![CDATA[李<娜>]]></x:t></x:is></x:c><x:c><x:v>110105194912310000</x:v></x:c><x:c t='b'><x:v>1</x:v></x:c><x:c t="str"><x:f>A1</x:f><x:v>公式</x:v></x:c><x:c r="F4" s="0"/></x:row>
        <x:row r="6" spans="1:3"/>
      </x:sheetData></x:worksheet>`,
    });
    const rows = [];
    for await (const r of readSheetRows(file, 'xlsx')) rows.push(r);
    expect(rows.map((r) => r.rowNo)).toEqual([1, 3, 4, 6]);
    expect(rows[0]?.cells).toEqual(['姓名']);
    expect(rows[1]?.cells).toEqual(['王芳 ', null, 'A&B <工会> 工会', new Date('2020-05-01T00:00:00Z'), new Date('2020-05-02T12:00:00Z')]);
    expect(rows[2]?.cells.slice(0, 4)).toEqual(['李<娜>', 110105194912310000, '是', '公式']);
    expect(rows[3]?.cells).toEqual([]);
    expect(await countSheetRows(file, 'xlsx')).toBe(2);
  });

  it('counts dates from 1904 when the workbook says so', async () => {
    const file = await handMadeXlsx({
      'xl/workbook.xml': `<workbook ${NS}><workbookPr date1904="1"/><sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
      'xl/styles.xml': `<styleSheet ${NS}><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`,
      'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData><row r="1"><c r="A1" s="1"><v>42490</v></c></row></sheetData></worksheet>`,
    });
    const rows = [];
    for await (const r of readSheetRows(file, 'xlsx')) rows.push(r);
    expect(rows[0]?.cells[0]).toEqual(new Date('2020-05-01T00:00:00Z'));
  });

  it('tells date formats from number and text formats', () => {
    for (const f of ['yyyy-mm-dd', 'yyyy"年"m"月"d"日"', '[$-804]yyyy/m/d', 'h:mm:ss', 'm/d/yy h:mm']) expect(isDateFormat(f), f).toBe(true);
    for (const f of ['General', '0.00', '#,##0', '@', '"元"0.00', '[Red]0', '0_);(0)']) expect(isDateFormat(f), f).toBe(false);
  });
});

describe('hostile workbooks', () => {
  const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>`;
  const SHEET_TAIL = '</sheetData></worksheet>';
  const book = (sheet: string, extra: Record<string, string | Buffer> = {}) => handMadeXlsx({ 'xl/worksheets/sheet1.xml': `${SHEET_HEAD}${sheet}${SHEET_TAIL}`, ...extra });
  const readAll = async (file: string, limits = SHEET_LIMITS) => { let n = 0; for await (const r of readSheetRows(file, 'xlsx', limits)) n += r.cells.length; return n; };
  const rss = () => process.memoryUsage().rss;

  it('refuse a cell reference past column XFD or a row past 1,048,576 at once, with a Chinese reason and bounded memory', async () => {
    const before = rss();
    for (const [sheet, reason] of [
      ['<row r="1"><c r="ZZZZZZZZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>', '最大列 XFD'],
      ['<row r="1"><c r="XFE1"><v>1</v></c></row>', '最大列 XFD'],
      ['<row r="99999999999"><c r="A99999999999"><v>1</v></c></row>', '超出 Excel 的范围'],
      ['<row r="0"><c r="A1"><v>1</v></c></row>', '超出 Excel 的范围'],
    ] as const) {
      const file = await book(sheet);
      const t0 = Date.now();
      await expect(readAll(file), sheet).rejects.toThrow(reason);
      await expect(countSheetRows(file, 'xlsx')).resolves.toBeGreaterThanOrEqual(0);
      expect(Date.now() - t0).toBeLessThan(2000);
    }
    expect(rss() - before).toBeLessThan(200 * 1024 * 1024);
    // the last column Excel has is still read
    expect(await readAll(await book('<row r="1"><c r="XFD1"><v>1</v></c></row>'))).toBe(16_384);
  });

  it('refuse one enormous row, before holding it whole', async () => {
    const limits = { ...SHEET_LIMITS, maxElementBytes: 64 * 1024 };
    const file = await book(`<row r="1">${'<c><v>1</v></c>'.repeat(20_000)}</row>`);
    await expect(readAll(file, limits)).rejects.toThrow(/超过 .*MB|超出 Excel/);
    const unclosed = await book(`<row r="1"><c t="inlineStr"><is><t>${'长'.repeat(100_000)}`);
    await expect(readAll(unclosed, limits)).rejects.toThrow('超过');
    await expect(countSheetRows(unclosed, 'xlsx', limits)).rejects.toThrow('超过');
  });

  it('refuse a shared-strings table over its count or size, and a part that inflates past its cap or with a zip bomb ratio', async () => {
    const si = (n: number) => `<sst ${NS}>${Array.from({ length: n }, (_, i) => `<si><t>s${i}</t></si>`).join('')}</sst>`;
    const sheet = '<row r="1"><c t="s"><v>0</v></c></row>';
    await expect(readAll(await book(sheet, { 'xl/sharedStrings.xml': si(2000) }), { ...SHEET_LIMITS, maxSharedStrings: 1000 })).rejects.toThrow('共享文本');
    await expect(readAll(await book(sheet, { 'xl/sharedStrings.xml': si(2000) }), { ...SHEET_LIMITS, maxSharedStringBytes: 4000 })).rejects.toThrow('共享文本');
    expect(await readAll(await book(sheet, { 'xl/sharedStrings.xml': si(2000) }))).toBe(1);
    // 64 MB of one repeated byte deflates to ≈64 KB: a ratio no roster has
    const bomb = await book(sheet, { 'xl/sharedStrings.xml': Buffer.alloc(64 * 1024 * 1024, 0x20) });
    const before = rss();
    await expect(readAll(bomb)).rejects.toThrow('压缩炸弹');
    expect(rss() - before).toBeLessThan(100 * 1024 * 1024);
    await expect(readAll(await book(sheet, { 'xl/sharedStrings.xml': si(2000) }), { ...SHEET_LIMITS, maxSharedStringsBytes: 1000 })).rejects.toThrow('解压后超过');
    await expect(readAll(await book(sheet), { ...SHEET_LIMITS, maxSheetBytes: 50 })).rejects.toThrow('解压后超过');
  });

  it('turn a CSV with an unclosed quote or an absurd record into a file error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-'));
    const bad = path.join(dir, 'q.csv');
    fs.writeFileSync(bad, '姓名,证件号码\n"张三,110\n李四,120\n');
    const rows = async (f: string) => { const out = []; for await (const r of readSheetRows(f, 'csv')) out.push(r); return out; };
    await expect(rows(bad)).rejects.toThrow('引号没有闭合');
    const long = path.join(dir, 'l.csv');
    fs.writeFileSync(long, `a,b\n${'x'.repeat(200 * 1024)}\n`);
    await expect(rows(long)).rejects.toThrow('过长');
    await expect(rows(bad)).rejects.toBeInstanceOf(SpreadsheetError);
  });

  it('count columns no further than the cap', () => {
    expect(columnOf('A1')).toBe(0);
    expect(columnOf('XFD1')).toBe(16_383);
    expect(columnOf('ZZZZZZZZZZZZZZZZZZZZ1')).toBe(16_384);
  });
});

