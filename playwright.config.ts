import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * Browser e2e runs Debian's Chromium (never a downloaded browser): CHROMIUM_PATH overrides the path.
 * The flags keep it quiet on a closed network and give it software WebGL.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** E2E_PORT and E2E_OUTPUT let several runs share a machine (each its own server and artifacts). */
const PORT = Number(process.env.E2E_PORT ?? 4187);

export default defineConfig({
  testDir: 'e2e',
  outputDir: process.env.E2E_OUTPUT ?? 'test-results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : 'list',
  webServer: {
    // The built renderer served exactly as `npm run serve` does (loopback only, free port is not
    // possible here because Playwright needs the URL up front).
    command: `node out/main/serve.js --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    stdout: 'pipe',
    timeout: 30_000,
  },
  projects: [
    {
      name: 'browser',
      testMatch: /.*\.spec\.ts/,
      testIgnore: /electron\.spec\.ts/,
      use: {
        baseURL: `http://127.0.0.1:${PORT}/`,
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: { executablePath: chromiumPath, args: CHROMIUM_ARGS },
        screenshot: 'only-on-failure',
        trace: 'retain-on-failure',
      },
    },
    {
      name: 'electron',
      testMatch: /electron\.spec\.ts/,
    },
  ],
});
