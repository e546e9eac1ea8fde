// `npm start`: the desktop app when the Electron binary is installed; otherwise one line saying so and
// the browser build on a loopback port (as `npm run serve`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, ensureBuild } from './ensure-build.mjs';

ensureBuild();
const hasElectron = existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'));
if (hasElectron) {
  const electron = createRequire(import.meta.url)('electron');
  const child = spawn(electron, [ROOT, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stdout.write('Interphase: the Electron binary is not installed (offline install?); starting the browser build instead.\n');
  createRequire(import.meta.url)(join(ROOT, 'out', 'main', 'serve.js'));
}
