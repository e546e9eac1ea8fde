import { describe, expect, it } from 'vitest';
import type { IndentationResult } from '@shared/analysis/indentation';
import { demoStudyFiles } from '@shared/synth/demo-study';
import {
  conditionFromFileName,
  fileStem,
  indentRows,
  type IndentRecordLike,
  isIndentationViewState,
  numberIndents,
  sampleOfRecord,
  shownIndentationRecords,
} from './indentation-model';

const file = (id: string, fileName: string, curves = 1, extra: Partial<IndentRecordLike> = {}): IndentRecordLike => ({
  id,
  kind: 'indentation',
  name: fileName,
  meta: { source: { fileName } },
  curves: Array.from({ length: curves }, (_, k) => ({ name: curves === 1 ? fileStem(fileName) : `Test ${k + 1}` })),
  ...extra,
});

describe('which indentation files are shown', () => {
  const cell: IndentRecordLike = { id: 'c', kind: 'cycling', name: 'cell.csv', meta: { source: { fileName: 'cell.csv' } } };
  const records = [cell, file('a', 'A 0000LC.txt'), file('b', 'B 0001LC.txt'), file('w', 'FQ.xls', 3)];

  it('shows the open indentation file plus the ticked ones, in library order', () => {
    expect(shownIndentationRecords(records, records[2], { datasetIds: ['w'] }).map((r) => r.id)).toEqual(['b', 'w']);
    expect(shownIndentationRecords(records, records[2], undefined).map((r) => r.id)).toEqual(['b']);
  });

  it('falls back to the first indentation file, and drops ticked files no longer in the library', () => {
    expect(shownIndentationRecords(records, cell, { datasetIds: ['gone'] }).map((r) => r.id)).toEqual(['a']);
    expect(shownIndentationRecords([cell], cell, undefined)).toEqual([]);
  });

  it('checks the saved state', () => {
    expect(isIndentationViewState({ datasetIds: ['a'] })).toBe(true);
    expect(isIndentationViewState({ datasetIds: [1] })).toBe(false);
    expect(isIndentationViewState(null)).toBe(false);
  });
});

describe('samples', () => {
  it('reads the condition of the demo files from their names', () => {
    expect(conditionFromFileName('Fig4_after-1mAhcm2_site2 0001LC.txt')).toBe('after-1mAhcm2');
    expect(conditionFromFileName('Fig4_pristine-In_site1 0000LC.txt')).toBe('pristine-In');
    expect(conditionFromFileName('RobinSteel0000LC.txt')).toBe('RobinSteel');
    expect(conditionFromFileName('FusedSilica.xlsx')).toBe('FusedSilica');
  });

  it('gives the 12 demo files 4 samples of 3 sites, matching their stated condition', () => {
    const demo = demoStudyFiles().filter((f) => f.expected.kind === 'indentation');
    expect(demo).toHaveLength(12);
    const byCondition = new Map<string, Set<string>>();
    for (const f of demo) {
      if (f.expected.kind !== 'indentation') continue;
      const sample = sampleOfRecord(file(f.fileName, f.fileName));
      const set = byCondition.get(f.expected.condition) ?? new Set();
      set.add(sample);
      byCondition.set(f.expected.condition, set);
    }
    expect(byCondition.size).toBe(4);
    for (const samples of byCondition.values()) expect(samples.size).toBe(1);
    expect(new Set([...byCondition.values()].map((s) => [...s][0])).size).toBe(4);
  });

  it("prefers a workbook's own sample name", () => {
    expect(sampleOfRecord(file('w', 'FQ.xls', 3, { instrumentSettings: { Sample_Name: 'Fused quartz', tipName: 'TB22169' } }))).toBe(
      'Fused quartz',
    );
  });
});

describe('numberIndents', () => {
  it('numbers the indents through the shown files in order, 0-based', () => {
    const items = numberIndents([file('a', 'Fig4_x_site1 0000LC.txt'), file('w', 'FQ.xls', 3), file('b', 'Fig4_y_site2 0001LC.txt')]);
    expect(items.map((i) => `${i.item}:${i.datasetId}:${i.curve}:${i.site}:${i.sample}`)).toEqual([
      '0:a:0:Fig4_x_site1 0000LC:x',
      '1:w:0:Test 1:FQ',
      '2:w:1:Test 2:FQ',
      '3:w:2:Test 3:FQ',
      '4:b:0:Fig4_y_site2 0001LC:y',
    ]);
  });

  it('joins each indent with its file result', () => {
    const items = numberIndents([file('a', 'A.txt'), file('w', 'W.xls', 2)]);
    const result = { kind: 'indentation', curves: [{ name: 'Test 1' }, { name: 'Test 2' }] } as unknown as IndentationResult;
    const rows = indentRows(items, new Map([['w', result]]));
    expect(rows.map((r) => r.result?.name)).toEqual([undefined, 'Test 1', 'Test 2']);
  });
});
