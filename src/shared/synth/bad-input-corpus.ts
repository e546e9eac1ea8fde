/**
 * The bad-input corpus: files made by the project's own code that an importer must survive with a clear
 * message naming the file (or, where the data is still usable, a dataset and a warning). Deterministic.
 * Used by the unit tests (every case through the import pipeline) and the CLI e2e (exit code 2).
 */
import type { ByteSource } from '../formats/import-dataset';
import { generateAsymmetricCell } from './asymmetric-cell';
import { formatNewareCsv } from './neware-csv-writer';
import { createSeededRandom } from './seeded-random';

export type BadInputExpectation =
  /** The import fails with an ImportError of one of these codes. */
  | { readonly outcome: 'error'; readonly codes: readonly string[]; readonly message: RegExp }
  /** The import succeeds and says what it skipped or converted. */
  | { readonly outcome: 'dataset'; readonly warningCode: string; readonly minRows: number };

export interface BadInputCase {
  readonly fileName: string;
  readonly description: string;
  /** Small cases have bytes; the huge ones are generated lazily by `source()`. */
  readonly bytes?: Uint8Array;
  source?(): ByteSource;
  readonly expect: BadInputExpectation;
}

const encoder = new TextEncoder();
const text = (s: string) => encoder.encode(s);

function randomBytes(seed: number, length: number): Uint8Array {
  const rng = createSeededRandom(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(rng.uniform() * 256);
  return out;
}

function withPrefix(prefix: Uint8Array | string, rest: Uint8Array): Uint8Array {
  const head = typeof prefix === 'string' ? text(prefix) : prefix;
  const out = new Uint8Array(head.length + rest.length);
  out.set(head);
  out.set(rest, head.length);
  return out;
}

/** A source of `sizeBytes` produced chunk by chunk (never held whole), starting with `head`. */
function lazySource(fileName: string, sizeBytes: number, head: Uint8Array, fill: number): ByteSource {
  const chunkBytes = 1 << 20;
  return {
    fileName,
    sizeBytes,
    chunks: () => ({
      async *[Symbol.asyncIterator]() {
        yield head;
        const chunk = new Uint8Array(chunkBytes).fill(fill);
        for (let at = head.length; at < sizeBytes; at += chunkBytes) {
          await Promise.resolve();
          yield at + chunkBytes <= sizeBytes ? chunk : chunk.subarray(0, sizeBytes - at);
        }
      },
    }),
  };
}

/** A small valid NEWARE record export to damage. */
function newareCsv(): string {
  return formatNewareCsv(generateAsymmetricCell({ cycles: 2, logIntervalS: 600 }));
}

export function badInputCorpus(): BadInputCase[] {
  const csv = newareCsv();
  const lines = csv.split('\n');
  const header = lines[0];
  const ragged = [
    header,
    ...lines.slice(1, 6),
    ...Array.from({ length: 40 }, (_, k) => (k % 2 === 0 ? '1,2' : `${'x,'.repeat(400)}x`)),
  ].join('\n');
  const nanRows = [
    header,
    ...lines.slice(1, 30).map((l, k) => (k % 3 === 1 ? l.replace(/,(-?\d+\.\d+),(\d+\.\d+),/, ',NaN,inf,') : l)),
  ].join('\n');
  return [
    {
      fileName: 'empty.csv',
      description: 'an empty file',
      bytes: new Uint8Array(0),
      expect: { outcome: 'error', codes: ['empty-file'], message: /empty/ },
    },
    {
      fileName: 'noise.bin',
      description: '64 KiB of random bytes',
      bytes: randomBytes(1, 65_536),
      expect: { outcome: 'error', codes: ['binary-file'], message: /binary file of unknown format/ },
    },
    {
      fileName: 'header-only.csv',
      description: 'a NEWARE header without rows',
      bytes: text(`${header}\n`),
      expect: { outcome: 'error', codes: ['no-data-rows'], message: /no readable data rows/ },
    },
    {
      fileName: 'cut-header.csv',
      description: 'a file cut inside its header line',
      bytes: text(header.slice(0, 30)),
      expect: { outcome: 'error', codes: ['unrecognised-format'], message: /not a recognised instrument file/ },
    },
    {
      fileName: 'power-lost.csv',
      description: 'a NEWARE export whose last record was cut mid-write',
      bytes: text(csv.slice(0, csv.length - 40)),
      expect: { outcome: 'dataset', warningCode: 'rows-skipped', minRows: 10 },
    },
    {
      fileName: 'nan-inf.csv',
      description: 'NaN and inf in the current and voltage cells of every third record',
      bytes: text(nanRows),
      expect: { outcome: 'dataset', warningCode: 'rows-skipped', minRows: 15 },
    },
    {
      fileName: 'ragged.csv',
      description: 'lines of wildly different length (2 and 401 cells) after five good records',
      bytes: text(ragged),
      expect: { outcome: 'error', codes: ['too-many-bad-rows'], message: /could not be read/ },
    },
    {
      fileName: 'picture.png',
      description: 'a PNG image',
      bytes: withPrefix(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2, 4096)),
      expect: { outcome: 'error', codes: ['binary-file'], message: /binary file/ },
    },
    {
      fileName: 'report.html',
      description: 'a web page saved by mistake',
      bytes: text('<!doctype html><html><head><title>Cell 4</title></head><body><table><tr><td>1</td></tr></table></body></html>\n'),
      expect: { outcome: 'error', codes: ['unrecognised-format'], message: /not a recognised instrument file/ },
    },
    {
      fileName: 'broken.ndax',
      description: 'ZIP magic followed by garbage (a damaged .ndax)',
      bytes: withPrefix('PK\u0003\u0004', randomBytes(3, 8192)),
      expect: { outcome: 'error', codes: ['unsupported-format', 'damaged-file'], message: /ZIP|damaged|truncated/ },
    },
    {
      fileName: 'broken.nda',
      description: 'the NEWARE .nda magic followed by garbage',
      bytes: withPrefix('NEWARE', randomBytes(4, 8192)),
      expect: {
        outcome: 'error',
        codes: ['unsupported-format', 'damaged-file', 'no-data-rows'],
        message: /NEWARE|damaged|truncated|records/,
      },
    },
    {
      fileName: 'broken.mpr',
      description: 'the BioLogic .mpr magic followed by garbage',
      bytes: withPrefix('BIO-LOGIC MODULAR FILE\u001a', randomBytes(5, 8192)),
      expect: {
        outcome: 'error',
        codes: ['unsupported-format', 'damaged-file', 'no-data-rows'],
        message: /BioLogic|damaged|truncated|records|module/i,
      },
    },
    {
      fileName: 'huge.ndax',
      description: 'a 2 GB file of a format that is read whole',
      source: () => lazySource('huge.ndax', 2 * 1024 ** 3, withPrefix('PK\u0003\u0004', randomBytes(6, 60)), 0),
      expect: { outcome: 'error', codes: ['too-large', 'unsupported-format'], message: /GiB|ZIP/ },
    },
    {
      fileName: 'one-line.csv',
      description: '70 MB without a line break after a NEWARE header',
      source: () => lazySource('one-line.csv', 70 * 1024 ** 2, text(`${header}\n`), 0x37),
      expect: { outcome: 'error', codes: ['line-too-long'], message: /without a line break/ },
    },
  ];
}
