/** Every case of the project's bad-input corpus through the real import pipeline. */
import { describe, expect, it } from 'vitest';
import { badInputCorpus } from '../synth/bad-input-corpus';
import { nodeHasher } from '../test-support/real-data';
import { bytesSource, importFile } from './import-dataset';
import { ImportError } from './import-error';

describe('bad-input corpus', () => {
  for (const testCase of badInputCorpus()) {
    it(`${testCase.fileName}: ${testCase.description}`, async () => {
      const source = testCase.source ? testCase.source() : bytesSource(testCase.fileName, testCase.bytes!);
      const attempt = importFile(source, { createHasher: nodeHasher });
      const { expect: expected } = testCase;
      if (expected.outcome === 'error') {
        const error = await attempt.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ImportError);
        const importError = error as ImportError;
        expect(expected.codes).toContain(importError.code);
        expect(importError.message.startsWith(`${testCase.fileName}: `)).toBe(true);
        expect(importError.message).toMatch(expected.message);
      } else {
        const dataset = await attempt;
        expect(dataset.kind).not.toBe('indentation');
        if (dataset.kind === 'indentation') return;
        expect(dataset.rowCount).toBeGreaterThanOrEqual(expected.minRows);
        expect(dataset.meta.warnings.map((w) => w.code)).toContain(expected.warningCode);
        for (const v of dataset.columns.voltageV) expect(Number.isFinite(v)).toBe(true);
        for (const i of dataset.columns.currentMA) expect(Number.isFinite(i)).toBe(true);
      }
    });
  }
});
