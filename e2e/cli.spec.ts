/**
 * The command-line and launcher contracts, run against the build as users and scripts run them:
 * `npm run -s cli -- import <file> --json`, bad input (exit 2, one stderr line, empty stdout),
 * `npm run serve -- --port 0` and `npm start` without the Electron binary.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const ROOT = join(__dirname, '..');
const REAL = join(ROOT, '..', 'shared', 'data', 'real');
const HAS_REAL = existsSync(REAL);

function cli(...args: string[]) {
  return spawnSync('npm', ['run', '-s', 'cli', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
}

/** Starts a long-running npm script, resolves with the URL line it prints, and the child to stop. */
function startServer(script: string, args: string[]): Promise<{ output: string; url: string; stop: () => void }> {
  const child = spawn('npm', ['run', '-s', script, '--', ...args], { cwd: ROOT, detached: true });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 60 s; output: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Interphase running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ output, url: match[1], stop: () => process.kill(-child.pid!, 'SIGTERM') });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

test.describe('command line', () => {
  test('import --json reports the reference row counts of the real NEWARE CSV exports', () => {
    test.skip(!HAS_REAL, `real instrument files not found at ${REAL} (../shared is absent in a user's clone)`);
    const references: [string, number][] = [
      ['neware/neware_uio.csv', 9065], // cellpy test_neware.py
      ['neware/nw_regular_export_ife_example.csv', 9295], // MANIFEST: 9,295 record rows
      ['neware/interp-test.csv', readFileSync(join(REAL, 'neware/interp-test.ndax.reference.csv'), 'utf8').trim().split('\n').length - 1],
    ];
    for (const [file, rows] of references) {
      const result = cli('import', join(REAL, file), '--json');
      expect(result.status, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(summary).toMatchObject({ file: file.split('/')[1], rows, warnings: [] });
      expect(summary.format).toMatch(/^neware-csv/);
      expect(summary.instrument).toMatch(/^NEWARE BTSDA/);
      expect(summary.columns).toEqual(
        expect.arrayContaining([
          { name: 'time', unit: 's' },
          { name: 'voltage', unit: 'V' },
          { name: 'current', unit: 'mA' },
        ]),
      );
      expect((summary.timeRange_s as number[])[0]).toBe(0);
    }
  });

  test('bad input exits 2 with one stderr line naming the file and nothing on stdout', () => {
    for (const file of [join(ROOT, 'package.json'), join(ROOT, 'docs', 'tour', 'cell.png'), join(ROOT, 'no-such-file.csv')]) {
      const result = cli('import', file, '--json');
      expect(result.status, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(file.split('/').pop()!);
    }
  });

  test('calibrate-tip writes a tip that analyze --tip uses: fused quartz calibrated on itself gives its own modulus', () => {
    test.skip(!HAS_REAL, `real instrument files not found at ${REAL} (../shared is absent in a user's clone)`);
    const dir = mkdtempSync(join(tmpdir(), 'interphase-tip-'));
    try {
      const tipFile = join(dir, 'TB22169.json');
      const calibration = cli(
        'calibrate-tip',
        join(REAL, 'indentation/FQ.xls'),
        '--nu',
        '0.18',
        '--name',
        'TB22169',
        '--out',
        tipFile,
        '--json',
      );
      expect(calibration.status, calibration.stderr).toBe(0);
      expect(JSON.parse(calibration.stdout)).toMatchObject({
        kind: 'tip-calibration',
        converged: true,
        reference: { E_GPa: 72, nu: 0.18 },
      });
      const tip = JSON.parse(readFileSync(tipFile, 'utf8')) as { name: string; areaCoefficients: number[]; frameComplianceNmPerMN: number };
      expect(tip.name).toBe('TB22169');
      expect(tip.areaCoefficients.length).toBe(3);
      const withTip = cli('analyze', join(REAL, 'indentation/FQ.xls'), '--kind', 'indentation', '--tip', tipFile, '--json');
      expect(withTip.status, withTip.stderr).toBe(0);
      const result = JSON.parse(withTip.stdout) as { curves: { E_GPa: number }[]; parameters: { tip: { name: string } } };
      expect(result.parameters.tip.name).toBe('TB22169');
      const meanE = result.curves.reduce((sum, c) => sum + c.E_GPa, 0) / result.curves.length;
      expect(Math.abs(meanE - 72) / 72).toBeLessThan(0.01);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('usage errors exit 1', () => {
    expect(cli('import').status).toBe(1);
    expect(cli('frobnicate').status).toBe(1);
  });
});

test.describe('launchers', () => {
  test('npm run serve -- --port 0 serves the app on a free loopback port', async () => {
    const server = await startServer('serve', ['--port', '0']);
    try {
      expect(server.url).not.toContain(':0/');
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>Interphase</title>');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      server.stop();
    }
  });

  test('npm start without the Electron binary says so in one line and runs the browser build', async () => {
    test.skip(
      existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt')),
      'the Electron binary is installed: npm start opens the desktop app',
    );
    const server = await startServer('start', ['--port', '0']);
    try {
      expect(server.output).toContain('the Electron binary is not installed');
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      server.stop();
    }
  });
});
