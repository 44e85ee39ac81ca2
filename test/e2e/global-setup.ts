import { execFileSync } from 'node:child_process';

/** Builds the app (server and web) once per run for every browser test file (startServer runs what it built). */
export default function setup(): void {
  execFileSync('npm', ['run', 'build'], { stdio: 'pipe' });
}
