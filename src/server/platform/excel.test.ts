import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cellValue, CompactStrings, countSheetRows, readSheetRows, RowKeySet } from './excel.js';

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

  it('flattens formula results and hyperlinks', () => {
    expect(cellValue({ formula: 'A1', result: 42 })).toBe(42);
    expect(cellValue({ text: '链接', hyperlink: 'http://x' })).toBe('链接');
    expect(cellValue(true)).toBe('是');
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
