/**
 * The detectors of the Arbin, Maccor, BaSyTec and Novonix text formats against every real text file in
 * ../shared/data/real: each of their files is claimed by exactly its own format, no other file is claimed
 * by any of them, and the NEWARE detectors (tried before them or beside them) claim none of their files.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal, realPath } from '../test-support/real-data';
import { ARBIN_CSV } from './arbin-csv';
import { BASYTEC_TEXT } from './basytec-text';
import { MACCOR_TEXT } from './maccor-text';
import { NEWARE_CSV, NEWARE_CSV_NESTED } from './neware-csv';
import { NOVONIX_CSV } from './novonix-csv';
import { decodeHead, guessEncoding, looksBinary } from './text-decoding';
import type { TextHead } from './text-format';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

const OURS = [ARBIN_CSV, MACCOR_TEXT, BASYTEC_TEXT, NOVONIX_CSV];

/** Which of our formats each file of ours belongs to (by folder and name). */
function expectedFormat(relPath: string): string | undefined {
  if (relPath.startsWith('arbin/') && relPath.endsWith('.csv')) return 'arbin-csv';
  if (relPath.startsWith('maccor/')) return 'maccor-text';
  if (relPath === 'other/sample_data_basytec.txt') return 'basytec-text';
  if (relPath === 'other/sample_data_novonix.csv') return 'novonix-csv';
  return undefined;
}

function textHead(relPath: string): TextHead | undefined {
  const bytes = readReal(relPath).subarray(0, 65_536);
  const guess = guessEncoding(bytes);
  if (looksBinary(bytes, guess.encoding)) return undefined;
  return {
    fileName: relPath,
    encoding: guess.encoding,
    lines: decodeHead(bytes, guess)
      .split(/\r\n|\n|\r/)
      .slice(0, 60),
  };
}

describeReal('text detectors of the Arbin / Maccor / BaSyTec / Novonix formats on every real file', () => {
  const files = ['arbin', 'maccor', 'other', 'neware', 'biologic', 'indentation', 'gitt'].flatMap((dir) =>
    readdirSync(realPath(dir)).map((name) => `${dir}/${name}`),
  );

  it('claim exactly their own files', () => {
    let ours = 0;
    for (const relPath of files) {
      const head = textHead(relPath);
      if (!head) continue;
      const claimedBy = OURS.filter((f) => f.detect(head)).map((f) => f.id);
      const expected = expectedFormat(relPath);
      expect({ relPath, claimedBy }).toEqual({ relPath, claimedBy: expected ? [expected] : [] });
      if (expected) {
        ours++;
        expect({ relPath, neware: NEWARE_CSV.detect(head) || NEWARE_CSV_NESTED.detect(head) }).toEqual({ relPath, neware: false });
      }
    }
    // 6 Arbin CSV (4 data + 2 metadata), 9 Maccor, 1 BaSyTec, 1 Novonix.
    expect(ours).toBe(17);
  });
});
