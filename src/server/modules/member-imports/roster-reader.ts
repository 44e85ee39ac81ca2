/**
 * The roster reader off the server's thread. A worker thread opens the file, checks and seals its
 * rows (roster.ts) and hands them over a batch at a time, one batch ahead of the writer; the job's
 * thread only writes. A file that makes the reader run out of its heap, throw, or stop making
 * progress for `stallMs` ends that thread and fails its own job; the server and other jobs go on.
 * Where no compiled worker exists (the TypeScript sources under the test runner) the same reader
 * runs in this thread.
 */
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createPiiCipher, masterKeyOf, type PiiCipher } from '../../platform/crypto.js';
import { SpreadsheetError } from '../../platform/excel.js';
import { codebookFrom, type DictionaryItems } from '../members/person.js';
import { ImportFileError, readRoster, type RosterEvent, type RosterReadOptions } from './roster.js';

/** Heap of one reader thread: the sheet is streamed and shared strings are kept outside the heap, so this bounds a job. */
export const READER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

interface ReaderData { rosterReader: true; options: Omit<RosterReadOptions, 'now'> & { nowMs: number }; dictionaries: DictionaryItems; piiKey: string }
type FromReader = RosterEvent | { type: 'error'; message: string; fileError: boolean };

export interface RosterReader { events: AsyncIterable<RosterEvent>; close(): Promise<void> }

export interface ReaderDeps {
  dictionaries: DictionaryItems;
  pii: PiiCipher;
  /** The reader fails the job when it sends nothing for this long while the writer waits. */
  stallMs: number;
  /** A worker script to run instead of this module's compiled self (tests). */
  script?: string | URL;
}

const self = fileURLToPath(import.meta.url);

/** Opens a reader for one job: a worker thread where the compiled module exists, else this thread. */
export function openRosterReader(options: RosterReadOptions, deps: ReaderDeps): RosterReader {
  const script = deps.script ?? (self.endsWith('.js') ? self : undefined);
  if (!script) {
    const gen = readRoster(options, codebookFrom(deps.dictionaries), deps.pii);
    return { events: gen, close: async () => { await gen.return(undefined); } };
  }
  const { now, ...rest } = options;
  const data: ReaderData = { rosterReader: true, options: { ...rest, nowMs: now.getTime() }, dictionaries: deps.dictionaries, piiKey: masterKeyOf(deps.pii) };
  const worker = new Worker(script, { workerData: data, resourceLimits: READER_LIMITS });
  return { events: fromWorker(worker, deps.stallMs), close: async () => { await worker.terminate(); } };
}

async function* fromWorker(worker: Worker, stallMs: number): AsyncGenerator<RosterEvent> {
  const queue: FromReader[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const poke = () => { const w = wake; wake = null; w?.(); };
  worker.on('message', (m: FromReader) => { queue.push(m); poke(); });
  worker.on('error', (err: Error & { code?: string }) => {
    failure = err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ImportFileError('文件过大或结构异常，读取时超出内存限制，已停止处理；请检查文件后重新上传') : err;
    poke();
  });
  worker.on('exit', () => { exited = true; poke(); });
  for (;;) {
    const m = queue.shift();
    if (m) {
      if (m.type === 'error') throw m.fileError ? new ImportFileError(m.message) : new Error(m.message);
      if (m.type === 'batch') worker.postMessage('more'); // read the next batch while this one is written
      yield m;
      if (m.type === 'end') return;
      continue;
    }
    if (failure) throw failure;
    if (exited) throw new Error('roster reader stopped before the end of the file');
    let timer: NodeJS.Timeout | undefined;
    const stalled = await new Promise<boolean>((resolve) => {
      wake = () => resolve(false);
      timer = setTimeout(() => resolve(true), stallMs);
    });
    clearTimeout(timer);
    if (stalled && queue.length === 0 && !failure && !exited) {
      await worker.terminate();
      throw new ImportFileError(`读取文件超过 ${Math.round(stallMs / 1000)} 秒没有进展，已停止处理；请检查文件后重新上传`);
    }
  }
}

/** The worker's side: read, post each event, and wait for the writer's 'more' after each batch. */
async function runReader(port: NonNullable<typeof parentPort>, d: ReaderData) {
  let more: (() => void) | null = null;
  port.on('message', () => { const m = more; more = null; m?.(); });
  try {
    const { nowMs, ...options } = d.options;
    for await (const ev of readRoster({ ...options, now: new Date(nowMs) }, codebookFrom(d.dictionaries), createPiiCipher(d.piiKey))) {
      const asked = ev.type === 'batch' ? new Promise<void>((resolve) => { more = resolve; }) : null;
      port.postMessage(ev);
      if (asked) await asked;
    }
  } catch (err) {
    const fileError = err instanceof ImportFileError || err instanceof SpreadsheetError;
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err), fileError } satisfies FromReader);
  }
  port.close();
}

if (!isMainThread && parentPort && (workerData as Partial<ReaderData> | undefined)?.rosterReader) void runReader(parentPort, workerData as ReaderData);
