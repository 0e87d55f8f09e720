import type { RetentionPolicy } from '@wp-edge/core';

const HOUR_MS = 3_600_000;
const PERIOD_MS = { hourly: HOUR_MS, daily: 24 * HOUR_MS, weekly: 7 * 24 * HOUR_MS };

/**
 * The generations a retention policy keeps: the newest always, and the newest of each of the
 * last `hourly` hours, `daily` days and `weekly` weeks that have one (periods count back from
 * `nowMs`, as a backup rotation does).
 */
export function keptGenerations(
  generations: { generation: string; createdAt: string }[],
  policy: RetentionPolicy,
  nowMs: number,
): Set<string> {
  const newestFirst = [...generations].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const kept = new Set<string>();
  const newest = newestFirst[0];
  if (newest) kept.add(newest.generation);
  for (const period of ['hourly', 'daily', 'weekly'] as const) {
    const seen = new Set<number>();
    for (const { generation, createdAt } of newestFirst) {
      const slot = Math.floor((nowMs - Date.parse(createdAt)) / PERIOD_MS[period]);
      if (slot >= policy[period] || seen.has(slot)) continue;
      seen.add(slot);
      kept.add(generation);
    }
  }
  return kept;
}
