/** What live traffic saw of a node: no answer at all (refused, reset, timed out), or a 5xx. */
export interface TrafficFailure {
  kind: 'unreachable' | 'server error';
  detail: string;
}

// Live traffic counts against a node at most this often: a burst of failed requests is one
// failed check, so traffic alone needs a few seconds of failures to reach a fall threshold.
export const TRAFFIC_REPORT_INTERVAL_MS = 2_000;

export interface TrafficEvidence {
  failure: TrafficFailure;
  /** Whether the node's latest probe or heartbeat failed too. */
  checksFailing: boolean;
  /** When live traffic last counted against the node (ms), if ever. */
  lastCountedMs: number | undefined;
  nowMs: number;
}

/**
 * Whether a failure seen on live traffic counts as a failed check of its node. A 5xx is one
 * URL's answer (a hostile reader can make PHP fail on purpose), so it counts only while the
 * node's own probe or heartbeat says it is failing; a node that cannot be reached counts, at
 * most once per interval.
 */
export function trafficCounts({
  failure,
  checksFailing,
  lastCountedMs,
  nowMs,
}: TrafficEvidence): boolean {
  if (failure.kind === 'server error' && !checksFailing) return false;
  return lastCountedMs === undefined || nowMs - lastCountedMs >= TRAFFIC_REPORT_INTERVAL_MS;
}
