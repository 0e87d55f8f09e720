import { DurableObject } from 'cloudflare:workers';
import { type NodeHealth, wipeStorage } from '@wp-edge/core';
import { type TrafficFailure, trafficCounts } from './traffic-report.ts';

export type CheckSource = 'heartbeat' | 'missed heartbeat' | 'probe' | 'traffic';

// Agents send a heartbeat every 10 s: one missing for twice that counts as a failed check,
// again at each look (every 5 s), so a silent node is down about half a minute after its last.
const HEARTBEAT_OVERDUE_MS = 20_000;
const MISSED_HEARTBEAT_CHECK_MS = 5_000;

// A node silent this long is taken as gone for good (removed, or its agent uninstalled):
// it stays as it was counted, and the registry stops looking.
const HEARTBEAT_FORGOTTEN_MS = 3_600_000;

export interface Thresholds {
  rise: number;
  fall: number;
}

interface StateRow extends Record<string, SqlStorageValue> {
  node_id: string;
  up: number;
  since: string;
  reason: string;
  good: number;
  bad: number;
  last_heartbeat: string | null;
}

const toHealth = (row: StateRow): NodeHealth => ({
  up: row.up === 1,
  since: row.since,
  reason: row.reason,
  ...(row.last_heartbeat ? { lastHeartbeat: row.last_heartbeat } : {}),
});

/**
 * One per site: each node's health from agent heartbeats, the edge's probes and failures
 * seen on live traffic (as far as `reportTraffic` lets them count), with rise/fall
 * thresholds as load balancers use. A node nobody has
 * checked yet counts as up. Every change of state is recorded with its reason.
 */
export class NodeRegistry extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS node_state (node_id TEXT PRIMARY KEY, up INTEGER NOT NULL, since TEXT NOT NULL, reason TEXT NOT NULL, good INTEGER NOT NULL, bad INTEGER NOT NULL, last_heartbeat TEXT);
      CREATE TABLE IF NOT EXISTS health_changes (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, node_id TEXT NOT NULL, up INTEGER NOT NULL, reason TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS thresholds (id INTEGER PRIMARY KEY CHECK (id = 1), rise INTEGER NOT NULL, fall INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS last_checks (node_id TEXT PRIMARY KEY, ok INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS traffic_reports (node_id TEXT PRIMARY KEY, counted_at_ms INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS node_content (node_id TEXT PRIMARY KEY, generation TEXT NOT NULL);
    `);
  }

  #thresholds(): Thresholds {
    const [row] = this.ctx.storage.sql
      .exec<{ rise: number; fall: number }>('SELECT rise, fall FROM thresholds WHERE id = 1')
      .toArray();
    return row ?? { rise: 3, fall: 3 };
  }

  #row(nodeId: string, now: string): StateRow {
    const [row] = this.ctx.storage.sql
      .exec<StateRow>('SELECT * FROM node_state WHERE node_id = ?', nodeId)
      .toArray();
    return (
      row ?? {
        node_id: nodeId,
        up: 1,
        since: now,
        reason: 'no checks yet',
        good: 0,
        bad: 0,
        last_heartbeat: null,
      }
    );
  }

  /**
   * Counts one check of a node, good or bad, and turns it up or down when a threshold is
   * reached. A heartbeat also has the registry watch for the next one.
   */
  async record(
    nodeId: string,
    ok: boolean,
    detail: string,
    source: Exclude<CheckSource, 'traffic'>,
    thresholds: Thresholds,
  ): Promise<NodeHealth> {
    const health = this.#count(nodeId, ok, detail, source, thresholds);
    if (source === 'heartbeat') {
      this.ctx.storage.sql.exec(
        'INSERT OR REPLACE INTO thresholds (id, rise, fall) VALUES (1, ?, ?)',
        thresholds.rise,
        thresholds.fall,
      );
      if ((await this.ctx.storage.getAlarm()) === null)
        await this.ctx.storage.setAlarm(Date.now() + MISSED_HEARTBEAT_CHECK_MS);
    }
    return health;
  }

  /**
   * A failure live traffic saw on a node, counted only as `trafficCounts` allows. Traffic alone
   * never takes a node down while none of its fallbacks (the nodes that would take its traffic
   * over) is up: the failure is counted, and the node falls once a probe or heartbeat agrees.
   */
  reportTraffic(
    nodeId: string,
    failure: TrafficFailure,
    thresholds: Thresholds,
    fallbacks: string[],
  ): NodeHealth {
    const nowMs = Date.now();
    const [check] = this.ctx.storage.sql
      .exec<{ ok: number }>('SELECT ok FROM last_checks WHERE node_id = ?', nodeId)
      .toArray();
    const [report] = this.ctx.storage.sql
      .exec<{ counted_at_ms: number }>(
        'SELECT counted_at_ms FROM traffic_reports WHERE node_id = ?',
        nodeId,
      )
      .toArray();
    const evidence = {
      failure,
      checksFailing: check?.ok === 0,
      lastCountedMs: report?.counted_at_ms,
      nowMs,
    };
    if (!trafficCounts(evidence)) return toHealth(this.#row(nodeId, new Date().toISOString()));
    this.ctx.storage.sql.exec(
      'INSERT OR REPLACE INTO traffic_reports (node_id, counted_at_ms) VALUES (?, ?)',
      nodeId,
      nowMs,
    );
    const health = this.health();
    const mayFall = fallbacks.some((id) => id !== nodeId && (health[id]?.up ?? true));
    return this.#count(nodeId, false, failure.detail, 'traffic', thresholds, mayFall);
  }

  /** Counts a failed check for each node whose heartbeats stopped, and looks again soon while any node sends them. */
  override async alarm(): Promise<void> {
    const nowMs = Date.now();
    const rows = this.ctx.storage.sql
      .exec<{ node_id: string; last_heartbeat: string }>(
        'SELECT node_id, last_heartbeat FROM node_state WHERE last_heartbeat IS NOT NULL',
      )
      .toArray()
      .map((row) => ({ nodeId: row.node_id, silentMs: nowMs - Date.parse(row.last_heartbeat) }))
      .filter((node) => node.silentMs < HEARTBEAT_FORGOTTEN_MS);
    const thresholds = this.#thresholds();
    for (const node of rows.filter((row) => row.silentMs > HEARTBEAT_OVERDUE_MS)) {
      const detail = `none for ${Math.round(node.silentMs / 1000)} s`;
      this.#count(node.nodeId, false, detail, 'missed heartbeat', thresholds);
    }
    if (rows.length > 0) await this.ctx.storage.setAlarm(nowMs + MISSED_HEARTBEAT_CHECK_MS);
  }

  #count(
    nodeId: string,
    ok: boolean,
    detail: string,
    source: CheckSource,
    thresholds: Thresholds,
    mayFall = true,
  ): NodeHealth {
    const now = new Date().toISOString();
    const row = this.#row(nodeId, now);
    const next: StateRow = { ...row, good: ok ? row.good + 1 : 0, bad: ok ? 0 : row.bad + 1 };
    if (source === 'heartbeat') next.last_heartbeat = now;
    if (source !== 'traffic')
      this.ctx.storage.sql.exec(
        'INSERT OR REPLACE INTO last_checks (node_id, ok) VALUES (?, ?)',
        nodeId,
        ok ? 1 : 0,
      );
    const flip =
      row.up === 1
        ? !ok && mayFall && next.bad >= thresholds.fall
        : ok && next.good >= thresholds.rise;
    if (flip) {
      next.up = row.up === 1 ? 0 : 1;
      next.since = now;
      next.reason = next.up
        ? `up after ${thresholds.rise} good checks (${source}: ${detail})`
        : `down after ${thresholds.fall} failed checks (${source}: ${detail})`;
      this.ctx.storage.sql.exec(
        'INSERT INTO health_changes (at, node_id, up, reason) VALUES (?, ?, ?, ?)',
        now,
        nodeId,
        next.up,
        next.reason,
      );
    }
    this.ctx.storage.sql.exec(
      'INSERT OR REPLACE INTO node_state (node_id, up, since, reason, good, bad, last_heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?)',
      nodeId,
      next.up,
      next.since,
      next.reason,
      next.good,
      next.bad,
      next.last_heartbeat,
    );
    return toHealth(next);
  }

  /** The content generation a node's heartbeat says it serves (content sync). */
  recordContent(nodeId: string, generation: string): void {
    this.ctx.storage.sql.exec(
      'INSERT OR REPLACE INTO node_content (node_id, generation) VALUES (?, ?)',
      nodeId,
      generation,
    );
  }

  /** Every checked node's health, with the content generation it last said it serves. */
  health(): Record<string, NodeHealth> {
    const rows = this.ctx.storage.sql.exec<StateRow>('SELECT * FROM node_state').toArray();
    const content = new Map(
      this.ctx.storage.sql
        .exec<{ node_id: string; generation: string }>(
          'SELECT node_id, generation FROM node_content',
        )
        .toArray()
        .map((row) => [row.node_id, row.generation]),
    );
    return Object.fromEntries(
      rows.map((row) => {
        const generation = content.get(row.node_id);
        return [
          row.node_id,
          { ...toHealth(row), ...(generation ? { contentGeneration: generation } : {}) },
        ];
      }),
    );
  }

  /** Forgets the site's node health, its history and its alarm (`sites remove`); returns the rows left per table. */
  wipe(): Promise<Record<string, number>> {
    return wipeStorage(this.ctx.storage);
  }

  /** The latest changes of state, newest first. */
  changes(limit = 50): { at: string; nodeId: string; up: boolean; reason: string }[] {
    return this.ctx.storage.sql
      .exec<{ at: string; node_id: string; up: number; reason: string }>(
        'SELECT at, node_id, up, reason FROM health_changes ORDER BY id DESC LIMIT ?',
        limit,
      )
      .toArray()
      .map((row) => ({ at: row.at, nodeId: row.node_id, up: row.up === 1, reason: row.reason }));
  }
}

/** The registry of a site. */
export function registryOf(env: Env, siteId: string) {
  return env.NODE_REGISTRY.get(env.NODE_REGISTRY.idFromName(siteId));
}
