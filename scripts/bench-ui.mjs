// `node scripts/bench-ui.mjs` (also run at the end of `npm run bench`): the browser build in Debian's
// Chromium with a big generated dataset, measuring the targets of the linked-plot workspace:
//   import   click Import files -> trace plotted; longest main-thread task (PerformanceObserver
//            'longtask') from the click until the analysis that follows is drawn
//   open     after a reload, click the dataset (or the Cell link) -> "Voltage vs time" data-state=ready
//   zoom     drag-zoom the time axis -> re-decimated and drawn (data-state=ready again); median of 5
//   memory   renderer process RSS (and JS heap) after the open, minus the same on the empty app,
//            divided by the dataset's stored column bytes
// Prints a table with each target and pass/fail; exits non-zero only when the bench itself fails.
// Rows: BENCH_UI_ROWS, else the largest of BENCH_ROWS, else 1e7. The CSV is bench.mjs's (reused).
// The functions given to page.evaluate / addInitScript run in the page:
/* global window, document, MutationObserver, HTMLElement, indexedDB */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium } from '@playwright/test';
import { ROOT, ensureBuild } from './ensure-build.mjs';
import { ensureBenchFile } from './bench-data.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const ROWS = Number(process.env.BENCH_UI_ROWS ?? Math.max(...(process.env.BENCH_ROWS ?? '10000000').split(',').map(Number)));
/** The targets of issue 7 ("Performance"). */
const TARGET_OPEN_MS = 2000;
const TARGET_ZOOM_MS = 100;
const TARGET_LONG_TASK_MS = 100;
const TARGET_MEMORY_RATIO = 2;
const ZOOMS = 5;
/** Generous: a 1e7-row import reads ~1.9 GB on a 2-core machine. */
const IMPORT_TIMEOUT_MS = 20 * 60_000;
/** Long tasks that end this long after the analysis is drawn still count (table, plots settling). */
const SETTLE_MS = 1500;

const log = (line) => process.stdout.write(`${line}\n`);
const MB = 1e6;

/** Starts `out/main/serve.js --port 0` and resolves with its URL. */
function startServer() {
  const child = spawn(process.execPath, [join(ROOT, 'out', 'main', 'serve.js'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match) resolve({ url: match[1], stop: () => child.kill('SIGTERM') });
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.on('exit', (code) => reject(new Error(`serve.js exited (${String(code)}) before it listened: ${out}`)));
  });
}

/**
 * Runs in the page before its scripts: records long tasks, and the times at which the voltage region
 * reaches a data-state (for timing clicks and zooms in the page's own clock, free of CDP round trips).
 */
function pageInstrumentation() {
  const bench = {
    longTasks: [],
    // Armed from the navigation on: the first ready after a (re)load is timed from navigation start.
    armedAt: 0,
    sawDrawing: false,
    needsDrawing: false,
    readyAt: undefined,
    readyPoints: undefined,
    /** Waits for the next data-state=ready of the voltage region after now (after 'drawing' if asked). */
    arm(needsDrawing) {
      this.armedAt = performance.now();
      this.needsDrawing = needsDrawing;
      this.sawDrawing = false;
      this.readyAt = undefined;
      this.readyPoints = undefined;
    },
  };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ startMs: entry.startTime, durationMs: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  // Clicks and mouseups re-arm at the moment the page receives them (capture phase, before the app).
  for (const type of ['click', 'mouseup']) {
    window.addEventListener(
      type,
      () => {
        if (bench.armOn === type) {
          bench.armOn = undefined;
          bench.arm(bench.armNeedsDrawing);
        }
      },
      true,
    );
  }
  new MutationObserver((records) => {
    for (const record of records) {
      const el = record.target;
      if (!(el instanceof HTMLElement) || el.getAttribute('aria-label') !== 'Voltage vs time') continue;
      if (bench.armedAt === undefined || bench.readyAt !== undefined) continue;
      if (el.dataset.state === 'drawing') bench.sawDrawing = true;
      if (el.dataset.state === 'ready' && (bench.sawDrawing || !bench.needsDrawing)) {
        bench.readyAt = performance.now();
        bench.readyPoints = Number(el.dataset.points);
      }
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
}

/** Arms the page's timer on the next event of `type` (or now, when type is undefined). */
async function arm(page, type, needsDrawing) {
  await page.evaluate(
    ([t, d]) => {
      const bench = window.__bench;
      if (t) {
        bench.armOn = t;
        bench.armNeedsDrawing = d;
      } else bench.arm(d);
    },
    [type, needsDrawing],
  );
}

async function waitArmedReady(page, timeout) {
  await page.waitForFunction(() => window.__bench.readyAt !== undefined, undefined, { timeout, polling: 20 });
  return page.evaluate(() => ({ ms: window.__bench.readyAt - window.__bench.armedAt, points: window.__bench.readyPoints }));
}

/** The renderer processes' pids (browser-wide CDP), for reading their RSS from /proc. */
async function rendererPids(browserSession) {
  const { processInfo } = await browserSession.send('SystemInfo.getProcessInfo');
  return processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
}

function rssBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The largest renderer's RSS (the app's; an idle spare renderer is far smaller) and the page's JS heap. */
async function measureMemory(page, pageSession, browserSession) {
  await pageSession.send('HeapProfiler.collectGarbage');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
  const pids = await rendererPids(browserSession);
  const rss = Math.max(0, ...pids.map(rssBytes));
  const { metrics } = await pageSession.send('Performance.getMetrics');
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  return { rss, heap, pids };
}

/** Samples the renderers' RSS every 100 ms until stopped; resolves with the peak. */
function samplePeakRss(pids) {
  let peak = 0;
  const timer = setInterval(() => {
    for (const pid of pids) peak = Math.max(peak, rssBytes(pid));
  }, 100);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

/** Stored bytes of the dataset's columns, read from the app's IndexedDB (exact, whatever columns it has). */
function storedColumnBytes(page, datasetName) {
  return page.evaluate(
    (name) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('interphase-library');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['datasets', 'columns'], 'readonly');
          const all = tx.objectStore('datasets').getAll();
          all.onsuccess = () => {
            const record = all.result.find((r) => r.name === name);
            if (!record) return resolve({ bytes: NaN, rowCount: NaN, keys: [] });
            const cols = tx.objectStore('columns').index('datasetId').getAll(record.id);
            cols.onsuccess = () => {
              db.close();
              resolve({
                bytes: cols.result.reduce((n, c) => n + c.blob.size, 0),
                rowCount: record.rowCount,
                keys: cols.result.map((c) => c.key),
              });
            };
          };
        };
      }),
    datasetName,
  );
}

/** Waits until the page has run no long task for a second (start-up work such as loading plotly.js done). */
async function waitQuiet(page) {
  await page.waitForFunction(
    () => {
      const last = window.__bench.longTasks.reduce((t, e) => Math.max(t, e.startMs + e.durationMs), 0);
      return performance.now() - last > 1000;
    },
    undefined,
    { timeout: 60_000, polling: 100 },
  );
}

const voltageRegion = (page) => page.getByRole('region', { name: 'Voltage vs time' });

/**
 * Waits until the app's analysis of the shown cell is drawn: a visible Coulombic efficiency plot ready
 * (either shell), or the Cell view saying its analysis failed.
 */
async function waitAnalysisDrawn(page, timeout) {
  await page.waitForFunction(
    () => {
      const visible = (el) => el instanceof HTMLElement && el.offsetParent !== null;
      const ce = [...document.querySelectorAll('[aria-label="Coulombic efficiency"]')].filter(visible);
      if (ce.some((el) => el.getAttribute('data-state') === 'ready')) return true;
      return [...document.querySelectorAll('[data-analysis], .cell-analysis[data-state]')]
        .filter(visible)
        .some((el) => el.getAttribute('data-analysis') === 'failed' || el.getAttribute('data-state') === 'failed');
    },
    undefined,
    { timeout, polling: 50 },
  );
}

async function main() {
  ensureBuild();
  const file = await ensureBenchFile(ROWS);
  const name = basename(file);
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const results = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(pageInstrumentation);
    const page = await context.newPage();
    page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
    const browserSession = await browser.newBrowserCDPSession();
    const pageSession = await context.newCDPSession(page);
    await pageSession.send('Performance.enable');
    const url = `${server.url}?demo=off`;
    await page.goto(url);
    await page.locator('body[data-app-state="ready"]').waitFor({ state: 'attached', timeout: 60_000 });
    // Any first-start work (samples) settles before the baseline.
    if ((await voltageRegion(page).count()) > 0 && (await voltageRegion(page).getAttribute('data-state')) === 'ready')
      await waitAnalysisDrawn(page, 60_000).catch(() => undefined);
    await waitQuiet(page);
    const empty = await measureMemory(page, pageSession, browserSession);
    log(`\n== app in Chromium: ${name} (${ROWS.toLocaleString('en')} rows), ${server.url}`);

    // a. import through the chooser, then the analysis that follows
    // BENCH_UI_PROFILE=dir: the main thread's CPU profile of the import, for finding a long task's cause.
    const profileDir = process.env.BENCH_UI_PROFILE;
    if (profileDir) {
      await pageSession.send('Profiler.enable');
      await pageSession.send('Profiler.setSamplingInterval', { interval: 1000 });
      await pageSession.send('Profiler.start');
    }
    // BENCH_UI_TRACE=file: a Chromium trace of the import (what a long task without JavaScript was doing).
    if (process.env.BENCH_UI_TRACE)
      await browser.startTracing(page, {
        path: process.env.BENCH_UI_TRACE,
        categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'],
      });
    const startMs = await page.evaluate(() => performance.now());
    const stopPeakImport = samplePeakRss(empty.pids);
    const chooserPromise = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import files' }).click();
    await (await chooserPromise).setFiles(file);
    await page.waitForFunction(
      (n) => {
        const region = document.querySelector('[aria-label="Voltage vs time"]');
        return region?.getAttribute('data-dataset') === n && region.getAttribute('data-state') === 'ready';
      },
      name,
      { timeout: IMPORT_TIMEOUT_MS, polling: 50 },
    );
    const plottedMs = await page.evaluate(() => performance.now());
    let analysisMs = NaN;
    try {
      await waitAnalysisDrawn(page, IMPORT_TIMEOUT_MS);
      analysisMs = await page.evaluate(() => performance.now());
    } catch {
      log('analysis: not drawn (no Coulombic efficiency plot in this shell?)');
    }
    await page.evaluate((ms) => new Promise((resolve) => setTimeout(resolve, ms)), SETTLE_MS);
    const peakImport = stopPeakImport();
    if (process.env.BENCH_UI_TRACE) await browser.stopTracing();
    if (profileDir) {
      const { profile } = await pageSession.send('Profiler.stop');
      mkdirSync(profileDir, { recursive: true });
      writeFileSync(join(profileDir, 'import.cpuprofile'), JSON.stringify(profile));
    }
    const tasks = (await page.evaluate(() => window.__bench.longTasks)).filter((t) => t.startMs + t.durationMs >= startMs);
    const longest = tasks.reduce((a, t) => (t.durationMs > a.durationMs ? t : a), { durationMs: 0, startMs: NaN });
    const stored = await storedColumnBytes(page, name);
    log(
      `import: plotted after ${((plottedMs - startMs) / 1000).toFixed(2)} s, analysis drawn after ${((analysisMs - startMs) / 1000).toFixed(2)} s`,
    );
    log(
      `long tasks (> 50 ms) from the click to ${SETTLE_MS} ms after the analysis: ${tasks.length}; ` +
        tasks
          .sort((p, q) => q.durationMs - p.durationMs)
          .slice(0, 6)
          .map((t) => `${t.durationMs.toFixed(0)} ms at +${((t.startMs - startMs) / 1000).toFixed(2)} s`)
          .join(', '),
    );
    log(
      `stored columns: ${stored.keys.join(', ')} = ${(stored.bytes / MB).toFixed(1)} MB (${(stored.bytes / stored.rowCount).toFixed(0)} B/row)`,
    );

    // b. reload, then open the dataset from IndexedDB
    if (profileDir) await pageSession.send('Profiler.start');
    await page.reload();
    await page.locator('body[data-app-state="ready"]').waitFor({ state: 'attached', timeout: 120_000 });
    // A shell that reopens the last dataset by itself: let that (and its analysis) finish first.
    if (
      (await voltageRegion(page)
        .getAttribute('data-dataset')
        .catch(() => null)) === name
    ) {
      await voltageRegion(page).and(page.locator('[data-state="ready"]')).waitFor({ timeout: 120_000 });
      await waitAnalysisDrawn(page, IMPORT_TIMEOUT_MS).catch(() => undefined);
    }
    const pidsAfterReload = await rendererPids(browserSession);
    const stopPeakOpen = samplePeakRss(pidsAfterReload);
    let open;
    let openedBy;
    const reopened = await page.evaluate((n) => {
      const region = document.querySelector('[aria-label="Voltage vs time"]');
      const { readyAt, readyPoints } = window.__bench;
      return region?.getAttribute('data-dataset') === n && readyAt !== undefined ? { ms: readyAt, points: readyPoints } : undefined;
    }, name);
    if (reopened) {
      // The shell restores the Cell view with the dataset by itself: time from the reload's navigation.
      open = reopened;
      openedBy = 'reload (Cell view restored)';
      await waitAnalysisDrawn(page, IMPORT_TIMEOUT_MS).catch(() => undefined);
    } else {
      const item = page.getByRole('list', { name: 'Library' }).getByRole('listitem').filter({ hasText: name }).getByRole('button').first();
      const cellLink = page.getByRole('link', { name: 'Cell', exact: true });
      await arm(page, 'click', true);
      if ((await item.count()) > 0 && (await item.isVisible())) {
        await item.click();
        openedBy = 'click in the Library';
      } else {
        await cellLink.click();
        openedBy = 'click on Cell';
      }
      // A shell whose library is on another page: the Cell view shows the selection.
      if ((await voltageRegion(page).count()) === 0 && (await cellLink.count()) > 0) await cellLink.click();
      open = await waitArmedReady(page, 120_000);
    }
    if (profileDir) writeFileSync(join(profileDir, 'open.cpuprofile'), JSON.stringify((await pageSession.send('Profiler.stop')).profile));
    const afterOpen = await measureMemory(page, pageSession, browserSession);
    await waitAnalysisDrawn(page, IMPORT_TIMEOUT_MS).catch(() => undefined);
    const peakOpen = stopPeakOpen();
    const afterAnalysis = await measureMemory(page, pageSession, browserSession);
    log(`open: first plot ${open.ms.toFixed(0)} ms after the ${openedBy} (${open.points} points)`);

    // c. zoom by dragging over the time axis; a double click returns to the full test in between
    const dragLayer = voltageRegion(page).locator('.nsewdrag').first();
    const box = await dragLayer.boundingBox();
    if (!box) throw new Error('the voltage plot has no drag layer');
    const windows = [
      [0.1, 0.6],
      [0.2, 0.9],
      [0.05, 0.5],
      [0.3, 0.8],
      [0.4, 0.95],
    ].slice(0, ZOOMS);
    const zooms = [];
    const resets = [];
    if (profileDir) await pageSession.send('Profiler.start');
    const y = box.y + box.height / 2;
    for (const [f0, f1] of windows) {
      await page.mouse.move(box.x + box.width * f0, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * (f0 + f1) * 0.5, y + 2, { steps: 4 });
      await arm(page, 'mouseup', true);
      await page.mouse.move(box.x + box.width * f1, y + 2, { steps: 4 });
      await page.mouse.up();
      zooms.push(await waitArmedReady(page, 60_000));
      await arm(page, undefined, true);
      await dragLayer.dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
      resets.push(await waitArmedReady(page, 60_000));
    }
    if (profileDir) writeFileSync(join(profileDir, 'zoom.cpuprofile'), JSON.stringify((await pageSession.send('Profiler.stop')).profile));
    const median = (values) => [...values].sort((p, q) => p - q)[Math.floor(values.length / 2)];
    const zoomMs = median(zooms.map((z) => z.ms));
    log(`zoom: ${zooms.map((z) => `${z.ms.toFixed(0)} ms (${z.points} pts)`).join(', ')}`);
    log(`back to the full test: ${resets.map((z) => `${z.ms.toFixed(0)} ms`).join(', ')}`);

    // d. memory
    const ratio = (m) => (m.rss - empty.rss) / stored.bytes;
    log(
      `memory: empty app RSS ${(empty.rss / MB).toFixed(0)} MB (JS heap ${(empty.heap / MB).toFixed(0)} MB); ` +
        `after open RSS ${(afterOpen.rss / MB).toFixed(0)} MB (heap ${(afterOpen.heap / MB).toFixed(0)} MB); ` +
        `after its analysis ${(afterAnalysis.rss / MB).toFixed(0)} MB (heap ${(afterAnalysis.heap / MB).toFixed(0)} MB); ` +
        `peak during import ${(peakImport / MB).toFixed(0)} MB, during open ${(peakOpen / MB).toFixed(0)} MB`,
    );
    results.push(
      [
        'import: longest main-thread task',
        `${longest.durationMs.toFixed(0)} ms`,
        `≤ ${TARGET_LONG_TASK_MS} ms`,
        longest.durationMs <= TARGET_LONG_TASK_MS,
      ],
      ['import: click -> trace plotted', `${((plottedMs - startMs) / 1000).toFixed(2)} s`, '(info)', undefined],
      [`open (${openedBy}): first plot`, `${open.ms.toFixed(0)} ms`, `≤ ${TARGET_OPEN_MS} ms`, open.ms <= TARGET_OPEN_MS],
      [
        `zoom: re-decimate + redraw (median of ${zooms.length})`,
        `${zoomMs.toFixed(0)} ms`,
        `≤ ${TARGET_ZOOM_MS} ms`,
        zoomMs <= TARGET_ZOOM_MS,
      ],
      [
        'memory after open / column bytes',
        `${ratio(afterOpen).toFixed(2)}×`,
        `< ${TARGET_MEMORY_RATIO}×`,
        ratio(afterOpen) < TARGET_MEMORY_RATIO,
      ],
      [
        'memory after its analysis / column bytes',
        `${ratio(afterAnalysis).toFixed(2)}×`,
        `< ${TARGET_MEMORY_RATIO}×`,
        ratio(afterAnalysis) < TARGET_MEMORY_RATIO,
      ],
      ['peak memory during open / column bytes', `${((peakOpen - empty.rss) / stored.bytes).toFixed(2)}×`, '(info)', undefined],
      ['peak memory during import / column bytes', `${((peakImport - empty.rss) / stored.bytes).toFixed(2)}×`, '(info)', undefined],
    );
    log('');
    for (const [label, value, target, ok] of results)
      log(`${label.padEnd(44)} ${value.padStart(10)}  target ${target.padEnd(10)} ${ok === undefined ? '' : ok ? 'pass' : 'MISSED'}`);
    await context.close();
  } finally {
    await browser.close();
    server.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench-ui: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
