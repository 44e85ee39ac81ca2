import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { CompactStrings, countSheetRows, isDateFormat, readSheetRows, RowKeySet } from './excel.js';

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
async function handMadeXlsx(parts: Record<string, string>): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hand-')), 'h.xlsx');
  const zip = new yazl.ZipFile();
  for (const [name, xml] of Object.entries(parts)) zip.addBuffer(Buffer.from(xml), name);
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
