import type { SiteSnapshot } from '@wp-edge/core';
import { readSites } from '@wp-edge/core/provision';
import { drizzle } from 'drizzle-orm/d1';
import { type ProbeResult, probeNodes } from './probe-nodes.ts';

/** The registry's probing: when the next cycle is due, and what the last one cost. */
export const PROBE_TABLES = `
  CREATE TABLE IF NOT EXISTS probe_schedule (id INTEGER PRIMARY KEY CHECK (id = 1), next_at_ms INTEGER NOT NULL, last_at_ms INTEGER, last_duration_ms INTEGER, last_nodes INTEGER, last_subrequests INTEGER);
`;

// When D1 cannot say what the site's nodes are, the registry asks again this much later.
const RETRY_MS = 60_000;

/** What the last probe cycle of a site took: for the status of probing and the bench. */
export interface ProbeCycle {
  atMs: number;
  durationMs: number;
  nodes: number;
  /** Outgoing requests the cycle made: the read of the site from D1 and one fetch per node. */
  subrequests: number;
}

/** Has the site probed from now on (a cycle due at once), unless it is probed already. */
export function startProbes(sql: SqlStorage, nowMs: number): void {
  sql.exec('INSERT OR IGNORE INTO probe_schedule (id, next_at_ms) VALUES (1, ?)', nowMs);
}

/** When the next probe cycle is due, or undefined while the site is not probed. */
export function nextProbeMs(sql: SqlStorage): number | undefined {
  const [row] = sql
    .exec<{ next_at_ms: number }>('SELECT next_at_ms FROM probe_schedule WHERE id = 1')
    .toArray();
  return row?.next_at_ms;
}

/** The last probe cycle, or undefined before the first. */
export function lastProbeCycle(sql: SqlStorage): ProbeCycle | undefined {
  const [row] = sql
    .exec<{ at: number | null; duration: number; nodes: number; subrequests: number }>(
      'SELECT last_at_ms AS at, last_duration_ms AS duration, last_nodes AS nodes, last_subrequests AS subrequests FROM probe_schedule WHERE id = 1',
    )
    .toArray();
  return row?.at == null
    ? undefined
    : { atMs: row.at, durationMs: row.duration, nodes: row.nodes, subrequests: row.subrequests };
}

/** Puts the next cycle off until `nextAtMs`, recording the one just made if any. */
function schedule(sql: SqlStorage, nextAtMs: number, cycle?: ProbeCycle): void {
  if (!cycle) {
    sql.exec('UPDATE probe_schedule SET next_at_ms = ? WHERE id = 1', nextAtMs);
    return;
  }
  sql.exec(
    'UPDATE probe_schedule SET next_at_ms = ?, last_at_ms = ?, last_duration_ms = ?, last_nodes = ?, last_subrequests = ? WHERE id = 1',
    nextAtMs,
    cycle.atMs,
    cycle.durationMs,
    cycle.nodes,
    cycle.subrequests,
  );
}

/**
 * One probe cycle of a site: its nodes and settings read from D1 (the source of truth, so a
 * node added or removed is probed or left from the next cycle on), then every node probed.
 * A site gone from D1 stops being probed; a D1 that does not answer is asked again later.
 */
export async function probeSite(
  sql: SqlStorage,
  db: D1Database,
  siteId: string,
  nowMs: number,
): Promise<{ site: SiteSnapshot; results: ProbeResult[] } | undefined> {
  const [site] = await readSites(drizzle(db), [siteId]).catch((error: unknown) => {
    schedule(sql, nowMs + RETRY_MS);
    throw error;
  });
  if (!site) {
    sql.exec('DELETE FROM probe_schedule');
    return undefined;
  }
  const { health } = site.settings;
  const results = await probeNodes(
    site.nodes.map((node) => ({ nodeId: node.id, url: `${node.originUrl}${health.probePath}` })),
    health.timeoutSeconds,
    site.originSecret,
  );
  // The site was removed (its registry wiped) while its nodes answered: nothing is recorded.
  if (nextProbeMs(sql) === undefined) return undefined;
  const cycle = {
    atMs: nowMs,
    durationMs: Date.now() - nowMs,
    nodes: site.nodes.length,
    subrequests: 1 + site.nodes.length,
  };
  schedule(sql, nowMs + health.probeIntervalSeconds * 1000, cycle);
  return { site, results };
}
