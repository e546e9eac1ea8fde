import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH as chromiumPath } from './scripts/chromium.mjs';

// Browser e2e runs Debian's Chromium (never a downloaded browser), flags in scripts/chromium.mjs.
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
