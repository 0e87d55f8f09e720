import { describe, expect, it } from 'vitest';
import { timeline } from './timeline.ts';

const at = (ms: number) => new Date(ms).toISOString();

describe('a node’s 24-hour timeline', () => {
  it('is one stretch when nothing changed', () => {
    expect(timeline([], true, 0, 100)).toEqual([{ fromMs: 0, toMs: 100, up: true }]);
  });

  it('splits at each change, the state before a change being its opposite', () => {
    const changes = [
      { at: at(80), up: true },
      { at: at(30), up: false },
    ];
    expect(timeline(changes, true, 0, 100)).toEqual([
      { fromMs: 0, toMs: 30, up: true },
      { fromMs: 30, toMs: 80, up: false },
      { fromMs: 80, toMs: 100, up: true },
    ]);
  });
});
