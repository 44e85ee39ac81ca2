/**
 * The roster import runner in its own thread (PostgreSQL deployments): a 1,000,000-row file is
 * parsed, validated and encrypted away from the HTTP event loop, with a hard heap limit so memory
 * stays bounded whatever the file size. The thread opens its own small connection pool.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { OrgLevel } from '../../../common/enums.js';
import { buildServices } from '../../app.js';
import { connectPostgres } from '../../db/connect.js';
import { configureAuditKey } from '../../platform/audit.js';
import { auditKeyFrom, createPiiCipher } from '../../platform/crypto.js';

export interface ImportWorkerData { databaseUrl: string; piiKey: string; dataDir: string; rootPath: string; rootLevel: OrgLevel; pollMs: number }

/** Heap limits of the import thread: the file is streamed, so this bounds the whole job. */
export const IMPORT_WORKER_LIMITS = { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 32 };

/** Starts the import thread; it restarts after a crash (a job it held resumes from its last batch). */
export function startImportWorker(data: ImportWorkerData, log: { info(o: object, m: string): void; error(o: object, m: string): void }): { stop(): Promise<void> } {
  let worker: Worker | null = null;
  let stopping = false;
  const file = fileURLToPath(import.meta.url);
  const spawn = () => {
    const w = new Worker(file, { workerData: data, resourceLimits: IMPORT_WORKER_LIMITS });
    w.on('message', (m: { error?: string; done?: number }) => {
      if (m.error) log.error({ err: m.error }, 'import job failed');
      if (m.done) log.info({ jobId: m.done }, 'import job finished');
    });
    w.on('error', (err) => log.error({ err }, 'import thread crashed'));
    w.on('exit', (code) => {
      worker = null;
      if (!stopping) {
        log.error({ code }, 'import thread stopped; restarting');
        setTimeout(() => { if (!stopping) worker = spawn(); }, 2000).unref();
      }
    });
    return w;
  };
  worker = spawn();
  return {
    async stop() {
      stopping = true;
      if (worker) await worker.terminate();
    },
  };
}

if (parentPort && (workerData as ImportWorkerData | undefined)?.databaseUrl && path.basename(fileURLToPath(import.meta.url)).startsWith('import-worker')) {
  const d = workerData as ImportWorkerData;
  const db = connectPostgres(d.databaseUrl, 3);
  const pii = createPiiCipher(d.piiKey);
  configureAuditKey(auditKeyFrom(d.piiKey));
  // the same factory as the server: every module's hooks are registered here as there
  const { imports } = buildServices(db, { sessionIdleMinutes: 30, sessionMaxHours: 12, dataDir: d.dataDir }, { rootPath: d.rootPath, rootLevel: d.rootLevel }, pii);
  const port = parentPort;
  imports.start(d.pollMs, (err) => port.postMessage({ error: err instanceof Error ? err.message : String(err) }), (jobId) => port.postMessage({ done: jobId }));
}
