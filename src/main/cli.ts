/**
 * Interphase on the command line: the same core services as the app, without Electron.
 *
 *   interphase import <file> [--json]        read an instrument file, print what was found
 *   interphase generate-samples <dir>        write the bundled sample files (deterministic)
 *
 * Exit codes: 0 success, 1 usage error, 2 bad input (one line on stderr naming the file and the problem),
 * 3 internal error (a bug: please report it).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importDataset } from '@shared/formats/import-dataset';
import { ImportError, isImportError } from '@shared/formats/import-error';
import type { Dataset } from '@shared/model/dataset';
import { summarizeDataset } from '@shared/model/dataset-summary';
import { SAMPLE_FILES, sampleIndex } from '@shared/synth/sample-files';
import { createNodeHasher, openFileSource } from './node-file-source';

const USAGE = `usage: interphase <command> [options]
  import <file> [--json]          read an instrument file and report format, rows, columns and ranges
  generate-samples <dir>          write the bundled sample files into <dir>`;

const EXIT_USAGE = 1;
const EXIT_BAD_INPUT = 2;
const EXIT_INTERNAL = 3;

class UsageError extends Error {}

async function runImport(args: string[]): Promise<number> {
  const isJson = args.includes('--json');
  const files = args.filter((a) => !a.startsWith('--'));
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--json');
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown[0]}`);
  if (files.length !== 1) throw new UsageError('import takes exactly one file');
  const source = await openFileSource(files[0]);
  let dataset: Dataset;
  try {
    dataset = await importDataset(source, { createHasher: createNodeHasher });
  } catch (error) {
    if (isImportError(error)) throw error;
    // A parser bug must still name the file and exit 2, never print a bare stack to the user.
    throw new ImportError(
      'read-failed',
      source.fileName,
      `could not be read: internal error (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const summary = summarizeDataset(dataset);
  if (isJson) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const lines = [
      `${summary.file}: ${summary.instrument} (${summary.format}), ${summary.rows} rows`,
      `  columns: ${summary.columns.map((c) => (c.unit ? `${c.name} [${c.unit}]` : c.name)).join(', ')}`,
      `  time ${summary.timeRange_s[0]}–${summary.timeRange_s[1]} s, voltage ${summary.voltageRange_V[0]}–${summary.voltageRange_V[1]} V`,
      ...summary.warnings.map((w) => `  warning: ${w}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

async function runGenerateSamples(args: string[]): Promise<number> {
  if (args.length !== 1) throw new UsageError('generate-samples takes exactly one directory');
  const dir = args[0];
  await mkdir(dir, { recursive: true });
  for (const sample of SAMPLE_FILES) {
    await writeFile(join(dir, sample.fileName), sample.build());
  }
  await writeFile(join(dir, 'index.json'), `${JSON.stringify(sampleIndex(), null, 2)}\n`);
  process.stdout.write(`wrote ${SAMPLE_FILES.length} samples to ${dir}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'import':
        return await runImport(rest);
      case 'generate-samples':
        return await runGenerateSamples(rest);
      case undefined:
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? EXIT_USAGE : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`interphase: ${error.message}\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    if (isImportError(error)) {
      process.stderr.write(`interphase: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`interphase: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_INTERNAL;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
