import { describe, expect, it } from 'vitest';
import { describeSelection, SelectionStore } from './selection-store';

describe('SelectionStore', () => {
  it('toggles cycles, keeps them sorted, and tells every listener who changed it', () => {
    const store = new SelectionStore();
    const seen: [string, string][] = [];
    store.subscribe((s, source) => seen.push([describeSelection(s), source]));
    store.toggleCycle(13, 'table');
    store.toggleCycle(12, 'ce-plot');
    store.toggleCycle(13, 'table');
    store.setCycles([5, 1], 'gap-plot');
    store.clear('table');
    store.clear('table');
    expect(seen).toEqual([
      ['Selected cycles: 13', 'table'],
      ['Selected cycles: 12, 13', 'ce-plot'],
      ['Selected cycles: 12', 'table'],
      ['Selected cycles: 1, 5', 'gap-plot'],
      ['No cycles selected', 'table'],
    ]);
  });
});
