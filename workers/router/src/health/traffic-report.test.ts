import { describe, expect, it } from 'vitest';
import {
  TRAFFIC_REPORT_INTERVAL_MS,
  type TrafficFailure,
  trafficCounts,
} from './traffic-report.ts';

const unreachable: TrafficFailure = { kind: 'unreachable', detail: 'connection refused' };
const serverError: TrafficFailure = { kind: 'server error', detail: 'answered 500' };
const NOW = 1_000_000;

describe('what live traffic may count against a node', () => {
  it.each([
    ['counts a node that cannot be reached', unreachable, false, undefined, true],
    [
      'counts a node that cannot be reached again once the interval has passed',
      unreachable,
      false,
      NOW - TRAFFIC_REPORT_INTERVAL_MS,
      true,
    ],
    ['counts nothing more within the interval', unreachable, false, NOW - 1, false],
    ['does not count a 5xx while the node’s own checks pass', serverError, false, undefined, false],
    ['counts a 5xx while the node’s own checks fail', serverError, true, undefined, true],
    ['counts no 5xx within the interval either', serverError, true, NOW - 1, false],
  ] as const)('%s', (_what, failure, checksFailing, lastCountedMs, counts) => {
    expect(trafficCounts({ failure, checksFailing, lastCountedMs, nowMs: NOW })).toBe(counts);
  });
});
