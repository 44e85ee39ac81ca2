import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';

/**
 * Streaming reads of spreadsheets (.xlsx through exceljs, .csv through csv-parse) in bounded
 * memory. Excel stores text once in a shared-strings table that a 10⁶-row roster fills with ~3M
 * unique strings (names, ID numbers, phones); kept as JS strings that table alone costs ~200 MB,
 * so it is kept here as UTF-8 bytes with an offset table (≈15 bytes per string).
 */
export type Cell = string | number | Date | null;
export interface SheetRow { rowNo: number; cells: Cell[] }

/** An append-only list of strings stored as UTF-8 in growing byte chunks. */
export class CompactStrings {
  private chunks: Buffer[] = [];
  private current = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private offsets = new Float64Array(1 << 16); // chunk index * 2^32 + start, then length in the next slot
  private count = 0;

  push(s: string): void {
    const len = Buffer.byteLength(s);
    if (this.used + len > this.current.length) {
      this.chunks.push(this.current.subarray(0, this.used));
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
}

/** A cell as a plain value: rich text, formulas and hyperlinks flattened; numbers and dates kept. */
export function cellValue(v: unknown, shared?: CompactStrings): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || v instanceof Date) return v;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'object') {
    const o = v as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown; sharedString?: number };
    if (typeof o.sharedString === 'number') return shared?.get(o.sharedString) ?? null;
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if ('result' in o) return cellValue(o.result, shared);
    if (typeof o.text === 'string') return o.text;
  }
  return String(v as string);
}

/** A cell as trimmed text (dates as YYYY-MM-DD). */
export const cellText = (v: Cell): string => (v === null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim());

/** Streams the rows of the first sheet of an .xlsx, or of a .csv (UTF-8, BOM allowed), with their row numbers. */
export async function* readSheetRows(file: string, kind: 'xlsx' | 'csv'): AsyncGenerator<SheetRow> {
  const input = fs.createReadStream(file);
  if (kind === 'csv') {
    let rowNo = 0;
    for await (const rec of input.pipe(parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: false })) as AsyncIterable<string[]>) {
      rowNo += 1;
      yield { rowNo, cells: rec.map((c) => (c === '' ? null : c)) };
    }
    return;
  }
  // Shared strings are emitted (not cached by exceljs) and kept compactly; in this mode exceljs
  // parks worksheets in a temporary file until the table is read, so rows never outrun it.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'emit', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
  // exceljs reads the zip as a stream and, now and then, finishes before the last entry
  // (xl/workbook.xml, the sheet names we do not need); it then reads `model.sheets` of nothing.
  (reader as unknown as { model?: { sheets: unknown[] } }).model = { sheets: [] };
  const shared = new CompactStrings();
  for await (const ev of reader.parse() as unknown as AsyncIterable<{ eventType?: string; value?: unknown; index?: number; text?: unknown }>) {
    // exceljs 4.4 yields shared strings as bare { index, text } (without the eventType 'shared-strings' its read() expects)
    const sharedString = ev.eventType === 'shared-strings' ? (ev.value as { text: unknown }) : ev.eventType === undefined && typeof ev.index === 'number' ? ev : null;
    if (sharedString) {
      const t = sharedString.text as string | { richText: Array<{ text: string }> } | null;
      shared.push(typeof t === 'string' ? t : t ? t.richText.map((x) => x.text).join('') : '');
    } else if (ev.eventType === 'worksheet') {
      for await (const row of ev.value as AsyncIterable<{ values: unknown[]; number: number }>) {
        yield { rowNo: row.number, cells: row.values.slice(1).map((v) => cellValue(v, shared)) };
      }
      return; // the first sheet is the roster
    }
  }
  throw new Error('xlsx: the zip stream ended before any worksheet was read');
}

/**
 * The number of data rows (rows after the first that hold at least one value) of the first
 * worksheet of an .xlsx, or of a .csv — for an exact progress bar before the real read. For
 * .xlsx this scans the sheet's XML for `<row>` elements holding a `<v>` or inline `<t>` value
 * instead of building cells (≈ 1/20 of a full read). The job still reports the exact count it
 * read when it ends.
 */
export async function countSheetRows(file: string, kind: 'xlsx' | 'csv'): Promise<number> {
  if (kind === 'csv') {
    let counted = -1;
    for await (const raw of readSheetRows(file, 'csv')) if (counted < 0 || raw.cells.some((c) => c !== null && cellText(c) !== '')) counted += 1;
    return Math.max(0, counted);
  }
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(err) : resolve(z))));
  try {
    // the first worksheet in the archive's order: the one the streaming reader yields first
    const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      zip.on('entry', (e: yauzl.Entry) => (/^xl\/worksheets\/[^/]+\.xml$/.test(e.fileName) ? resolve(e) : zip.readEntry()));
      zip.on('end', () => resolve(null));
      zip.on('error', reject);
      zip.readEntry();
    });
    if (!entry) return 0;
    const stream = await zip.openReadStreamPromise(entry);
    const token = /<row\b[^>]*?(\/?)>|<\/row>|<v>[^<]|<t(?:\s[^>]*)?>[^<]/g;
    let carry = '';
    let rows = 0;
    let inRow = false;
    let hasValue = false;
    const scan = (text: string) => {
      for (const m of text.matchAll(token)) {
        if (m[0].startsWith('<row')) {
          inRow = m[1] !== '/'; // a self-closing row holds nothing
          hasValue = false;
        } else if (m[0] === '</row>') {
          if (inRow && hasValue) rows += 1;
          inRow = false;
        } else hasValue = true;
      }
    };
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // XML here is ASCII markup around UTF-8 text: latin1 keeps every byte and every '<' in place.
      const text = carry + chunk.toString('latin1');
      const cut = text.lastIndexOf('<'); // a token never spans the last '<'; keep the rest for the next chunk
      scan(text.slice(0, cut < 0 ? text.length : cut));
      carry = cut < 0 ? '' : text.slice(cut);
    }
    scan(carry);
    // the first row with values is the header
    return Math.max(0, rows - 1);
  } finally {
    zip.close();
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
