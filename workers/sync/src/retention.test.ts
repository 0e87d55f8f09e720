import { describe, expect, it } from 'vitest';
import { keptGenerations } from './retention.ts';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const at = (hoursAgo: number) => ({
  generation: `g-${hoursAgo}`,
  createdAt: new Date(NOW - hoursAgo * 3_600_000).toISOString(),
});

describe('keptGenerations', () => {
  it.each([
    {
      rule: 'keeps the newest of each hour within the hourly count',
      hours: [0.1, 0.5, 1.2, 1.9, 2.5],
      policy: { hourly: 2, daily: 0, weekly: 0 },
      kept: ['g-0.1', 'g-1.2'],
    },
    {
      rule: 'keeps the newest of each day within the daily count',
      hours: [1, 5, 30, 40, 60],
      policy: { hourly: 0, daily: 2, weekly: 0 },
      kept: ['g-1', 'g-30'],
    },
    {
      rule: 'keeps the newest of each week within the weekly count',
      hours: [1, 200, 300, 400],
      policy: { hourly: 0, daily: 0, weekly: 3 },
      kept: ['g-1', 'g-200', 'g-400'],
    },
    {
      rule: 'always keeps the newest, even with every count at 0',
      hours: [10, 20],
      policy: { hourly: 0, daily: 0, weekly: 0 },
      kept: ['g-10'],
    },
  ])('$rule', ({ hours, policy, kept }) => {
    expect([...keptGenerations(hours.map(at), policy, NOW)].sort()).toEqual([...kept].sort());
  });
});
