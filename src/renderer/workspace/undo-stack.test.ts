import { describe, expect, it } from 'vitest';
import { UNDO_DEPTH, UndoStack } from './undo-stack';

describe('UndoStack', () => {
  it('undoes the last change first and says what it undid', async () => {
    const stack = new UndoStack();
    const log: string[] = [];
    let changes = 0;
    stack.onChange(() => changes++);
    stack.push({ label: 'Edit area', undo: () => Promise.resolve(void log.push('area')) });
    stack.push({ label: 'Delete cell 3', undo: () => Promise.resolve(void log.push('delete')) });
    expect(stack.next?.label).toBe('Delete cell 3');
    expect(await stack.undo()).toBe('Delete cell 3');
    expect(await stack.undo()).toBe('Edit area');
    expect(await stack.undo()).toBeUndefined();
    expect(log).toEqual(['delete', 'area']);
    expect(changes).toBe(4);
  });

  it('keeps the last UNDO_DEPTH entries', async () => {
    const stack = new UndoStack();
    for (let k = 0; k < UNDO_DEPTH + 5; k++) stack.push({ label: `e${k}`, undo: () => Promise.resolve() });
    let count = 0;
    while (await stack.undo()) count++;
    expect(count).toBe(UNDO_DEPTH);
  });

  it('drops an entry whose undo failed, and reports the failure', async () => {
    const stack = new UndoStack();
    stack.push({ label: 'bad', undo: () => Promise.reject(new Error('gone')) });
    await expect(stack.undo()).rejects.toThrow('gone');
    expect(stack.next).toBeUndefined();
  });
});
