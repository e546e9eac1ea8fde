/**
 * The desktop shell end to end: the built app (out/main/index.js) starts, opens its window and
 * shows the library and the voltage plot. Needs the Electron binary, which an offline install
 * does not have; the browser project covers the same page without it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const ROOT = resolve(__dirname, '..');
const ELECTRON_PATH_FILE = join(ROOT, 'node_modules', 'electron', 'path.txt');
const MAIN_ENTRY = join(ROOT, 'out', 'main', 'index.js');

test('the desktop window shows the library and the voltage plot', async () => {
  test.skip(
    !existsSync(ELECTRON_PATH_FILE),
    'Electron binary not installed (offline machine): node_modules/electron/path.txt is missing; run `npx install-electron` on a connected machine.',
  );
  expect(existsSync(MAIN_ENTRY), `${MAIN_ENTRY} is missing: run npm run build first`).toBe(true);

  // A fresh profile per run: no IndexedDB left over, and no clash with a running instance's lock.
  const userDataDir = mkdtempSync(join(tmpdir(), 'interphase-e2e-'));
  // Without ELECTRON_RENDERER_URL the app loads its built page, as a user's install does.
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'ELECTRON_RENDERER_URL'),
  );
  const app = await electron.launch({ args: [MAIN_ENTRY, `--user-data-dir=${userDataDir}`], env });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('list', { name: 'Library' })).toBeVisible();
    await expect(window.getByRole('region', { name: 'Voltage vs time' })).toBeVisible();
  } finally {
    await app.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
});
