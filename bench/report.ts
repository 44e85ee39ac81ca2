import fs from 'node:fs';
import os from 'node:os';

const FILE = 'BENCHMARKS.md';

/** The p-th percentile (0–100) of `xs`, nearest rank from below; the median is pct(xs, 50). */
export function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

/**
 * Replaces (or appends) one benchmark's section of BENCHMARKS.md, between HTML comment markers,
 * so each `npm run bench:*` rewrites only its own figures; the header names this machine.
 */
export function writeSection(name: string, markdown: string): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# Benchmarks', '',
    `Last written on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
    'Absolute times on a shared 2-core machine vary from run to run; read the ratios, each measured against its baseline in the same run.', '',
  ].join('\n');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let doc = fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : '';
  const first = doc.indexOf('<!-- ');
  const body = first >= 0 ? doc.slice(first) : ''; // everything from the first section on; the header is rewritten
  doc = body.includes(start) ? body.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block) : `${body.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(FILE, `${header}\n${doc.trimStart()}`);
}
