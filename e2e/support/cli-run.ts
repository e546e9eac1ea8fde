/** Runs the command-line entry from the build (`node out/main/cli.js …`), as the CLI e2e specs do. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'out', 'main', 'cli.js');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** One CLI run, synchronous, with its exit status and both streams. */
export function node(...args: string[]): Run {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
}
