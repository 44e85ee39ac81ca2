import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';

/**
 * Streaming reads of spreadsheets (.xlsx below, .csv through csv-parse) in bounded memory. Excel stores text once in a shared-strings table that a 10⁶-row roster fills with ~3M
 * unique strings (names, ID numbers, phones); kept as JS strings that table alone costs ~200 MB,
 * so it is kept here as UTF-8 bytes with an offset table (≈15 bytes per string).
 */
export type Cell = string | number | Date | null;

/**
 * The file is not a readable workbook (not a zip, no worksheet, a damaged part) or breaks one of
 * the limits below. The message is Chinese and is shown to the officer as the job's failure.
 */
export class SpreadsheetError extends Error {}

/**
 * Limits that keep a hostile or broken file from costing the server more than a real roster
 * would. Excel itself stops at column XFD (16,384) and row 1,048,576; a real roster's sheet
 * compresses ≈5-20×, so a part that claims more than 200× its stored size is a zip bomb.
 */
export const SHEET_LIMITS = {
  maxColumns: 16_384,
  maxRows: 1_048_576,
  /** Bytes of one `<row>` or `<si>` element (a real row of a roster is well under 10 KB). */
  maxElementBytes: 4 * 1024 * 1024,
  /** Decompressed bytes of the sheet part (a 10⁶-row roster's sheet is ≈300 MB). */
  maxSheetBytes: 2 * 1024 ** 3,
  /** Decompressed bytes of the shared-strings part. */
  maxSharedStringsBytes: 1024 ** 3,
  /** Decompressed bytes of every other part read (workbook, relationships, styles). */
  maxSmallPartBytes: 16 * 1024 * 1024,
  /** Shared strings kept (a 10⁶-row roster holds ≈3M). */
  maxSharedStrings: 8_000_000,
  /** UTF-8 bytes of all shared strings kept. */
  maxSharedStringBytes: 256 * 1024 * 1024,
  /** Decompressed ÷ compressed size of one part, above 1 MB decompressed. */
  maxCompressionRatio: 200,
  /** Bytes of one CSV record. */
  maxCsvRecordBytes: 64 * 1024,
};
export type SheetLimits = typeof SHEET_LIMITS;
export interface SheetRow { rowNo: number; cells: Cell[] }

/** An append-only list of strings stored as UTF-8 in growing byte chunks. */
export class CompactStrings {
  private chunks: Buffer[] = [];
  private current = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private sealed = 0; // bytes in full chunks
  private offsets = new Float64Array(1 << 16); // chunk index * 2^32 + start, then length in the next slot
  private count = 0;

  push(s: string): void {
    const len = Buffer.byteLength(s);
    if (this.used + len > this.current.length) {
      this.chunks.push(this.current.subarray(0, this.used));
      this.sealed += this.used;
      this.current = Buffer.allocUnsafe(Math.max(1 << 20, len));
      this.used = 0;
    }
    this.current.write(s, this.used);
    if ((this.count + 1) * 2 > this.offsets.length) {
      const grown = new Float64Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.count * 2] = this.chunks.length * 2 ** 32 + this.used;
    this.offsets[this.count * 2 + 1] = len;
    this.used += len;
    this.count += 1;
  }

  get(i: number): string | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const at = this.offsets[i * 2] ?? 0;
    const len = this.offsets[i * 2 + 1] ?? 0;
    const chunkNo = Math.floor(at / 2 ** 32);
    const start = at % 2 ** 32;
    const buf = chunkNo === this.chunks.length ? this.current : this.chunks[chunkNo];
    return buf?.toString('utf8', start, start + len);
  }

  get size(): number { return this.count; }

  /** UTF-8 bytes held. */
  get bytes(): number { return this.sealed + this.used; }
}

/** A cell as trimmed text (dates as YYYY-MM-DD). */
export const cellText = (v: Cell): string => (v === null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim());

/** Streams the rows of the first sheet of an .xlsx, or of a .csv (UTF-8, BOM allowed), with their row numbers. */
export async function* readSheetRows(file: string, kind: 'xlsx' | 'csv', limits: SheetLimits = SHEET_LIMITS): AsyncGenerator<SheetRow> {
  if (kind === 'csv') {
    let rowNo = 0;
    const parser = fs.createReadStream(file).pipe(parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: false, max_record_size: limits.maxCsvRecordBytes }));
    try {
      for await (const rec of parser as AsyncIterable<string[]>) {
        rowNo += 1;
        if (rowNo > limits.maxRows) throw new SpreadsheetError(`文件超过 ${limits.maxRows} 行`);
        if (rec.length > limits.maxColumns) throw new SpreadsheetError(`第 ${rowNo} 行超过 ${limits.maxColumns} 列`);
        yield { rowNo, cells: rec.map((c) => (c === '' ? null : c)) };
      }
    } catch (err) {
      throw csvError(err, rowNo + 1);
    } finally {
      parser.destroy();
    }
    return;
  }
  const book = await XlsxBook.open(file, limits);
  try {
    yield* book.rows();
  } finally {
    book.close();
  }
}

/**
 * The number of data rows (rows after the first that hold at least one value) of the first
 * worksheet of an .xlsx, or of a .csv — for an exact progress bar before the real read. For
 * .xlsx this scans the sheet's XML for `<row>` elements holding a `<v>` or inline `<t>` value
 * instead of parsing it (a small part of a full read). The job still reports the exact count it
 * read when it ends.
 */
export async function countSheetRows(file: string, kind: 'xlsx' | 'csv', limits: SheetLimits = SHEET_LIMITS): Promise<number> {
  if (kind === 'csv') {
    let counted = -1;
    for await (const raw of readSheetRows(file, 'csv', limits)) if (counted < 0 || raw.cells.some((c) => c !== null && cellText(c) !== '')) counted += 1;
    return Math.max(0, counted);
  }
  const book = await XlsxBook.open(file, limits);
  try {
    const stream = await book.sheetStream();
    const token = /<(?:\w+:)?row\b[^>]*?(\/?)>|<\/(?:\w+:)?row>|<(?:\w+:)?v>[^<]|<(?:\w+:)?t(?:\s[^>]*)?>[^<]/g;
    let carry = '';
    let rows = 0;
    let inRow = false;
    let hasValue = false;
    const scan = (text: string) => {
      for (const m of text.matchAll(token)) {
        if (m[0].startsWith('</')) {
          if (inRow && hasValue) rows += 1;
          inRow = false;
        } else if (/^<(?:\w+:)?row\b/.test(m[0])) {
          inRow = m[1] !== '/'; // a self-closing row holds nothing
          hasValue = false;
        } else hasValue = true;
      }
    };
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // the markup is ASCII around UTF-8 text: latin1 keeps every byte and every '<' in place
      const text = carry + chunk.toString('latin1');
      const cut = text.lastIndexOf('<'); // no token spans the last '<'; the rest waits for the next chunk
      scan(text.slice(0, cut < 0 ? text.length : cut));
      carry = cut < 0 ? '' : text.slice(cut);
      if (carry.length > limits.maxElementBytes) throw tooLarge(limits);
    }
    scan(carry);
    return Math.max(0, rows - 1); // the first row with values is the header
  } finally {
    book.close();
  }
}

/* ---------------------------------------------------------------------------------------------
 * .xlsx (SpreadsheetML, ECMA-376) reading: yauzl opens the zip by its central directory (any
 * part, in any order) and saxes parses the XML; this layer only knows which parts and elements
 * hold the cells. It replaced exceljs's streaming reader, which spent most of a roster import's
 * time building cell models (and, now and then, ended its zip stream before the last part).
 * ------------------------------------------------------------------------------------------- */

/** Built-in number formats that show dates (ECMA-376 §18.8.30, with the CJK ones Excel and WPS use). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A custom number format shows a date when it has date or time letters outside quotes, escapes and [..] sections. */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g, '').replace(/general/gi, '');
  return /[ymdhs年月日]/i.test(bare);
}

type Sax = SaxesParser<{ xmlns: false; position: false }>;
const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Column index (0-based) of a cell reference such as "AB12"; past `max` columns it stops counting and returns `max`. */
export function columnOf(ref: string, max = SHEET_LIMITS.maxColumns): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
    if (n > max) return max;
  }
  return n - 1;
}

const NO_SHEET = '文件不是有效的 .xlsx 工作簿（找不到工作表；请用 Excel 或 WPS 另存为 .xlsx 后重新上传）';
const tooLarge = (limits: SheetLimits) => new SpreadsheetError(`工作表中有一行（或一个文本）超过 ${Math.round(limits.maxElementBytes / 1024 / 1024)} MB，文件可能已损坏`);

/** csv-parse's errors (an unclosed quote, a record over the size limit) as a Chinese file error. */
function csvError(err: unknown, rowNo: number): unknown {
  if (err instanceof SpreadsheetError) return err;
  const e = err as { code?: unknown; lines?: unknown };
  if (typeof e?.code !== 'string' || !e.code.startsWith('CSV_')) return err;
  const line = typeof e.lines === 'number' ? e.lines : rowNo;
  if (e.code === 'CSV_QUOTE_NOT_CLOSED') return new SpreadsheetError(`CSV 文件第 ${line} 行的引号没有闭合，请检查后重新上传`);
  if (e.code === 'CSV_MAX_RECORD_SIZE') return new SpreadsheetError(`CSV 文件第 ${line} 行过长，文件可能已损坏`);
  return new SpreadsheetError(`CSV 文件第 ${line} 行格式不正确，请用 Excel 或 WPS 另存为 .xlsx 后重新上传`);
}

class XlsxBook {
  private constructor(private zip: yauzl.ZipFile, private entries: Map<string, yauzl.Entry>, private limits: SheetLimits) {}

  static async open(file: string, limits: SheetLimits): Promise<XlsxBook> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(new SpreadsheetError('文件不是有效的 .xlsx 工作簿（请用 Excel 或 WPS 另存为 .xlsx 后重新上传）')) : resolve(z))));
    const entries = new Map<string, yauzl.Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (e: yauzl.Entry) => { entries.set(e.fileName.replace(/^\//, ''), e); zip.readEntry(); });
        zip.on('end', () => resolve());
        zip.on('error', () => reject(new SpreadsheetError('文件不是有效的 .xlsx 工作簿（压缩包已损坏）')));
        zip.readEntry();
      });
    } catch (err) {
      zip.close();
      throw err;
    }
    return new XlsxBook(zip, entries, limits);
  }

  close() { this.zip.close(); }

  /**
   * A part's decompressed bytes, refused before a byte is inflated when its declared size is over
   * the part's cap or its compression ratio is a zip bomb's. yauzl checks while inflating that the
   * part is no larger than declared, so a lying header fails the stream instead.
   */
  private async stream(name: string): Promise<Readable | null> {
    const e = this.entries.get(name);
    if (!e) return null;
    const l = this.limits;
    const cap = /^xl\/worksheets\//.test(name) ? l.maxSheetBytes : name === 'xl/sharedStrings.xml' ? l.maxSharedStringsBytes : l.maxSmallPartBytes;
    if (e.uncompressedSize > cap) throw new SpreadsheetError(`工作簿的 ${name} 部分解压后超过 ${Math.round(cap / 1024 / 1024)} MB，超出名册文件的合理大小`);
    if (e.uncompressedSize > 1024 * 1024 && e.uncompressedSize > l.maxCompressionRatio * Math.max(1, e.compressedSize)) {
      throw new SpreadsheetError('工作簿的压缩比异常（疑似压缩炸弹），已拒绝处理');
    }
    const s = await this.zip.openReadStreamPromise(e);
    s.on('error', () => {}); // a damaged part surfaces as the iterator's error below
    return s;
  }

  /** Runs saxes over a part with the handlers `on` sets; false when the part is absent. */
  private async parse(name: string, on: (p: Sax) => void): Promise<boolean> {
    const s = await this.stream(name);
    if (!s) return false;
    const p = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
    on(p);
    s.setEncoding('utf8');
    for await (const chunk of s as AsyncIterable<string>) p.write(chunk);
    p.close();
    return true;
  }

  /** The first sheet in the workbook's tab order (its part name), and whether dates count from 1904. */
  private async firstSheet(): Promise<{ part: string; date1904: boolean }> {
    let rid: string | null = null;
    let date1904 = false;
    await this.parse('xl/workbook.xml', (p) => p.on('opentag', (t) => {
      const n = localName(t.name);
      if (n === 'sheet' && rid === null) rid = Object.entries(t.attributes).find(([k]) => k !== 'sheetId' && localName(k) === 'id')?.[1] ?? null;
      else if (n === 'workbookPr') date1904 = t.attributes.date1904 === '1' || t.attributes.date1904 === 'true';
    }));
    let target: string | null = null;
    if (rid !== null) {
      await this.parse('xl/_rels/workbook.xml.rels', (p) => p.on('opentag', (t) => {
        if (localName(t.name) === 'Relationship' && t.attributes.Id === rid) target = t.attributes.Target ?? null;
      }));
    }
    const found = target as string | null;
    const part = found ? (found.startsWith('/') ? found.slice(1) : `xl/${found}`).replace(/\/\.\//g, '/') : null;
    if (part && this.entries.has(part)) return { part, date1904 };
    const any = [...this.entries.keys()].find((k) => /^xl\/worksheets\/[^/]+\.xml$/.test(k));
    if (!any) throw new SpreadsheetError(NO_SHEET);
    return { part: any, date1904 };
  }

  async sheetStream(): Promise<Readable> {
    const s = await this.stream((await this.firstSheet()).part);
    if (!s) throw new SpreadsheetError(NO_SHEET);
    return s;
  }

  /** Shared strings (the text of their `<t>` runs, phonetic guides left out), kept compactly. */
  private async sharedStrings(): Promise<CompactStrings> {
    const shared = new CompactStrings();
    const s = await this.stream('xl/sharedStrings.xml');
    const { maxSharedStrings, maxSharedStringBytes } = this.limits;
    if (s) {
      for await (const items of elements(s, 'si', this.limits)) {
        for (const si of items) {
          shared.push(runText(si));
          if (shared.size > maxSharedStrings || shared.bytes > maxSharedStringBytes) throw new SpreadsheetError(`工作簿的共享文本超过 ${maxSharedStrings} 条或 ${Math.round(maxSharedStringBytes / 1024 / 1024)} MB，超出名册文件的合理大小`);
        }
      }
    }
    return shared;
  }

  /** For each cell style (the `s` attribute), whether its number format shows a date. */
  private async dateStyles(): Promise<boolean[]> {
    const custom = new Map<number, string>();
    const styles: boolean[] = [];
    let inCellXfs = false;
    await this.parse('xl/styles.xml', (p) => {
      p.on('opentag', (t) => {
        const n = localName(t.name);
        if (n === 'numFmt') custom.set(Number(t.attributes.numFmtId), String(t.attributes.formatCode ?? ''));
        else if (n === 'cellXfs') inCellXfs = !t.isSelfClosing;
        else if (n === 'xf' && inCellXfs) {
          const id = Number(t.attributes.numFmtId ?? 0);
          const code = custom.get(id);
          styles.push(code !== undefined ? isDateFormat(code) : DATE_FORMAT_IDS.has(id));
        }
      });
      p.on('closetag', (t) => { if (localName(t.name) === 'cellXfs') inCellXfs = false; });
    });
    return styles;
  }

  /** The first sheet's rows with their row numbers; cells as text, numbers or dates (UTC midnight). */
  async* rows(): AsyncGenerator<SheetRow> {
    const { part, date1904 } = await this.firstSheet();
    const shared = await this.sharedStrings();
    const dates = await this.dateStyles();
    const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
    const s = await this.stream(part);
    if (!s) throw new SpreadsheetError(NO_SHEET);
    let rowNo = 0;
    const { maxRows, maxColumns } = this.limits;
    for await (const items of elements(s, 'row', this.limits)) {
      for (const row of items) {
        const open = ROW_OPEN.exec(row);
        const r = open ? attr(open[1] ?? '', 'r') : null;
        const n = r ? Number(r) : rowNo + 1;
        if (!Number.isInteger(n) || n < 1 || n > maxRows) throw new SpreadsheetError(`工作表的行号 ${String(r ?? n).slice(0, 20)} 超出 Excel 的范围（1 至 ${maxRows}）`);
        rowNo = n;
        const cells: Cell[] = [];
        let col = -1;
        CELL.lastIndex = 0;
        for (let m = CELL.exec(row); m; m = CELL.exec(row)) {
          const attrs = m[1] ?? '';
          const ref = attr(attrs, 'r');
          col = ref ? columnOf(ref, maxColumns) : col + 1;
          if (col >= maxColumns) throw new SpreadsheetError(`工作表第 ${rowNo} 行的单元格超出 Excel 的最大列 XFD（${maxColumns} 列）`);
          const type = attr(attrs, 't') ?? 'n';
          const inner = m[2] ?? '';
          let v: Cell = null;
          if (type === 'inlineStr') v = runText(inner);
          else {
            const raw = VALUE.exec(inner)?.[1];
            if (raw !== undefined && raw !== '') {
              const text = xmlText(raw);
              if (type === 's') v = shared.get(Number(text)) ?? null;
              else if (type === 'str' || type === 'e') v = text;
              else if (type === 'b') v = text === '1' || text === 'true' ? '是' : '否';
              else if (type === 'd') v = new Date(text);
              else {
                const num = Number(text);
                v = Number.isNaN(num) ? text : dates[Number(attr(attrs, 's') ?? 0)] ? new Date(Math.round(epoch + num * 86_400_000)) : num;
              }
            }
          }
          if (col < 0) continue;
          while (cells.length < col) cells.push(null);
          cells[col] = v === '' ? null : v;
        }
        yield { rowNo, cells };
      }
    }
  }
}

/*
 * The sheet and shared-strings parts are read with a few regular expressions over whole
 * elements rather than an event parser: both are flat, machine-written lists (`<row>` of `<c>`,
 * `<si>` of `<t>` runs), and this is what makes a 10⁶-row roster quick to read. The small parts
 * (workbook, relationships, styles) go through saxes.
 */
const ROW_OPEN = /^<(?:\w+:)?row\b([^>]*)>/;
const CELL = /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
const VALUE = /<(?:\w+:)?v\b[^>]*>([\s\S]*?)<\/(?:\w+:)?v>/;
const RUN = /<(?:\w+:)?t\b[^>]*>([\s\S]*?)<\/(?:\w+:)?t>/g;
const PHONETIC = /<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g;

/** One attribute's value from an element's attribute text (the names here never carry prefixes). */
function attr(attrs: string, name: string): string | null {
  const at = attrs.indexOf(` ${name}="`);
  if (at >= 0) {
    const start = at + name.length + 3;
    return attrs.slice(start, attrs.indexOf('"', start));
  }
  if (!/[\t\n\r']|\s=|=\s/.test(attrs)) return null; // written the usual way, and the name is absent
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(["'])(.*?)\\1`).exec(attrs); // other whitespace, single quotes
  return m ? m[2] ?? '' : null;
}

/** Text content with XML's character references and CDATA sections resolved. */
function xmlText(raw: string): string {
  if (!raw.includes('&') && !raw.includes('<![CDATA[')) return raw;
  return raw.replace(/<!\[CDATA\[([\s\S]*?)\]\]>|&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, cdata: string | undefined, ref: string | undefined) => {
    if (cdata !== undefined) return cdata;
    switch (ref) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: return String.fromCodePoint(ref?.startsWith('#x') ? Number.parseInt(ref.slice(2), 16) : Number(ref?.slice(1)));
    }
  });
}

/** The text of an `<si>` or `<is>`: its `<t>` runs joined, phonetic guides (`<rPh>`) left out. */
function runText(xml: string): string {
  const body = xml.includes('rPh') ? xml.replace(PHONETIC, '') : xml;
  let out = '';
  RUN.lastIndex = 0;
  for (let m = RUN.exec(body); m; m = RUN.exec(body)) out += xmlText(m[1] ?? '');
  return out;
}

/** Complete `<name …>…</name>` (or self-closing) elements of a part, in batches as its chunks arrive. */
async function* elements(stream: Readable, name: string, limits: SheetLimits): AsyncGenerator<string[]> {
  const re = new RegExp(`<(?:\\w+:)?${name}\\b[^>]*?(?:/>|>[\\s\\S]*?</(?:\\w+:)?${name}>)`, 'g');
  stream.setEncoding('utf8');
  let buf = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    buf += chunk;
    const found: string[] = [];
    let end = 0;
    re.lastIndex = 0;
    for (let m = re.exec(buf); m; m = re.exec(buf)) { found.push(m[0]); end = re.lastIndex; }
    if (end > 0) buf = buf.slice(end); // the rest holds at most one element still arriving
    if (buf.length > limits.maxElementBytes) throw tooLarge(limits);
    if (found.length) yield found;
  }
}

/** Mixes the two halves of a key into a slot number (murmur3's finalizer). */
function slot(h: number, l: number): number {
  let x = Math.imul(h, 0x85ebca6b) ^ l;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A set of 64-bit keys (the first 16 hex digits of a blind index) remembering the first row
 * each was seen on: open addressing over typed arrays, ~24 bytes per entry instead of ~100 for a
 * Map of strings. Finds duplicates inside a 10⁶-row file in ~40 MB.
 */
export class RowKeySet {
  private hi = new Uint32Array(1 << 16);
  private lo = new Uint32Array(1 << 16);
  private rows = new Uint32Array(1 << 16);
  private count = 0;

  /** The row the key was first seen on, or undefined (and the key is recorded for `rowNo`). */
  firstOrAdd(hex: string, rowNo: number): number | undefined {
    const h = Number.parseInt(hex.slice(0, 8), 16) >>> 0;
    const l = Number.parseInt(hex.slice(8, 16), 16) >>> 0;
    const mask = this.rows.length - 1;
    let i = slot(h, l) & mask;
    for (;;) {
      const r = this.rows[i] ?? 0;
      if (r === 0) break;
      if (this.hi[i] === h && this.lo[i] === l) return r;
      i = (i + 1) & mask;
    }
    this.hi[i] = h;
    this.lo[i] = l;
    this.rows[i] = rowNo;
    this.count += 1;
    if (this.count * 2 > this.rows.length) this.grow();
    return undefined;
  }

  private grow() {
    const { hi, lo, rows } = this;
    this.hi = new Uint32Array(rows.length * 2);
    this.lo = new Uint32Array(rows.length * 2);
    this.rows = new Uint32Array(rows.length * 2);
    const mask = this.rows.length - 1;
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j] ?? 0;
      if (r === 0) continue;
      const h = hi[j] ?? 0;
      const l = lo[j] ?? 0;
      let i = slot(h, l) & mask;
      while ((this.rows[i] ?? 0) !== 0) i = (i + 1) & mask;
      this.hi[i] = h;
      this.lo[i] = l;
      this.rows[i] = r;
    }
  }
}
