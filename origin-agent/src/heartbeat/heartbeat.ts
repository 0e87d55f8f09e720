import { statfs } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { AGENT_ROUTES, type Heartbeat, type NodeHealth } from '@wp-edge/core';
import { quarantinedCount } from '../comments/quarantine.ts';
import type { WordPressDb } from '../db/wordpress-db.ts';
import type { EdgeClient } from '../edge/edge-client.ts';

const CHECK_TIMEOUT_MS = 5_000;

async function checkDatabase(db: WordPressDb): Promise<Heartbeat['checks']['database']> {
  try {
    await db.pool.query({ sql: 'SELECT 1', timeout: CHECK_TIMEOUT_MS });
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as Error).message.slice(0, 200) };
  }
}

async function checkWordPress(url: string): Promise<NonNullable<Heartbeat['checks']['wordpress']>> {
  try {
    const response = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.status < 500
      ? { ok: true }
      : { ok: false, detail: `answered ${response.status}` };
  } catch (error) {
    return { ok: false, detail: (error as Error).message.slice(0, 200) };
  }
}

/**
 * What the agent's other tasks learnt since the last heartbeat: comment-log lag, the last views
 * copy, and the content sync's state (the generation served, a failing pass, kept edits).
 */
export interface AgentProgress extends Pick<Heartbeat, 'syncFailure' | 'keptEdits'> {
  lag?: number;
  viewsCopiedAt?: string;
  /** The content generation this node serves, once the content sync has applied one. */
  contentGeneration?: string;
}

/**
 * This node's own checks: the database and WordPress answer, free disk, load, comment-log lag,
 * events set aside in the quarantine (unknown while the agent's tables are not made yet),
 * the last views copy, and the content sync's state.
 */
export async function localChecks(
  db: WordPressDb,
  wordpressUrl: string | undefined,
  progress: AgentProgress = {},
): Promise<Heartbeat> {
  const [database, wordpress, disk, quarantined] = await Promise.all([
    checkDatabase(db),
    wordpressUrl ? checkWordPress(wordpressUrl) : Promise.resolve(undefined),
    statfs('/').catch(() => undefined),
    quarantinedCount(db).catch(() => undefined),
  ]);
  return {
    checks: { database, ...(wordpress ? { wordpress } : {}) },
    ...(disk ? { diskFreeBytes: disk.bavail * disk.bsize } : {}),
    load1: loadavg()[0] ?? 0,
    ...(progress.lag === undefined ? {} : { commentLag: progress.lag }),
    ...(quarantined === undefined ? {} : { quarantined }),
    ...(progress.viewsCopiedAt ? { viewsCopiedAt: progress.viewsCopiedAt } : {}),
    ...(progress.contentGeneration === undefined
      ? {}
      : { contentGeneration: progress.contentGeneration }),
    ...(progress.syncFailure ? { syncFailure: progress.syncFailure } : {}),
    ...(progress.keptEdits ? { keptEdits: progress.keptEdits } : {}),
  };
}

/** Sends one heartbeat and returns what the edge now thinks of this node. */
export async function sendHeartbeat(
  db: WordPressDb,
  edge: EdgeClient,
  wordpressUrl: string | undefined,
  progress: AgentProgress = {},
): Promise<NodeHealth> {
  return edge.call(AGENT_ROUTES.heartbeat, await localChecks(db, wordpressUrl, progress));
}
