// A stand-in for the roster reader thread (roster-reader.ts) in tests: a file containing SPIN makes
// it spin forever, as a hostile file might make a real reader; any other file is read as empty.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

if (fs.readFileSync(workerData.options.file, 'latin1').includes('SPIN')) for (;;) { /* spin */ }
parentPort.postMessage({ type: 'batch', cands: [], errors: [], lastRowNo: 1 });
parentPort.once('message', () => { parentPort.postMessage({ type: 'end', total: 0 }); parentPort.close(); });
