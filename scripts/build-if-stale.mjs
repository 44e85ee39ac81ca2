// `npm start` builds only when something the build reads changed since the last build: a second
// start goes straight to the server. The stamp records the newest source time the build saw.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const STAMP = path.resolve('dist/.build-stamp');
const INPUTS = ['src', 'bench', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.web.json', 'vite.config.ts'];

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newest(path.join(p, e)));
  return m;
}

const sources = Math.max(...INPUTS.map(newest));
const built = fs.existsSync(STAMP) && fs.existsSync('dist/src/server/main.js') && fs.existsSync('dist/web/index.html') ? Number(fs.readFileSync(STAMP, 'utf8')) : 0;
if (sources > built) {
  const r = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(STAMP, String(sources));
} else {
  console.log('  构建产物已是最新 (build is up to date)');
}
