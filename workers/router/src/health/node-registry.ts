import { DurableObject } from 'cloudflare:workers';
import { createLogger, type Heartbeat, type NodeHealth, wipeStorage } from '@wp-edge/core';
import { ALERT_TABLES, type AlertPeriod, periods, pruneAlerts } from '../alerts/alert-book.ts';
import {
  type DeliveryFailure,
  deliverDue,
  deliveryFailures,
  nextDueMs,
  OUTBOX_TABLES,
} from '../alerts/outbox.ts';
import { reviewAlerts } from '../alerts/review-alerts.ts';
import { type NodeReport, REPORT_TABLES, reports, saveReport } from './node-reports.ts';
import {
  lastProbeCycle,
  nextProbeMs,
  PROBE_TABLES,
  type ProbeCycle,
  probeSite,
  startProbes,
} from './site-probes.ts';
import { SYNC_TABLES, saveSyncReport } from './sync-reports.ts';
import { type TrafficFailure, trafficCounts } from './traffic-report.ts';

const log = createLogger({ service: 'router', part: 'node-registry' });

export type CheckSource = 'heartbeat' | 'missed heartbeat' | 'probe' | 'traffic';

// Agents send a heartbeat every 10 s: one missing for twice that counts as a failed check,
// again at each look (every 5 s), so a silent node is down about half a minute after its last.
const HEARTBEAT_OVERDUE_MS = 20_000;
const MISSED_HEARTBEAT_CHECK_MS = 5_000;

// A node silent this long is taken as gone for good (removed, or its agent uninstalled):
// it stays as it was counted, and the registry stops looking.
const HEARTBEAT_FORGOTTEN_MS = 3_600_000;

const DAY_MS = 86_400_000;
const DEFAULT_HISTORY_DAYS = 30;

export interface Thresholds {
  rise: number;
  fall: number;
  /** How long changes of state are kept (`health.historyDays`). */
  historyDays?: number;
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

// The reason of a node nothing has checked yet (it counts as up).
const NO_CHECKS_YET = 'no checks yet';

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
      CREATE TABLE IF NOT EXISTS history_window (id INTEGER PRIMARY KEY CHECK (id = 1), days INTEGER NOT NULL);
      ${REPORT_TABLES}
      ${ALERT_TABLES}
      ${OUTBOX_TABLES}
      ${PROBE_TABLES}
      ${SYNC_TABLES}
    `);
  }

  // Set when a node's state, quarantine or content sync changed: the alerts are reviewed before the event ends.
  #reviewDue = false;

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
        reason: NO_CHECKS_YET,
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
    heartbeat?: Heartbeat,
  ): Promise<NodeHealth> {
    const health = this.#count(nodeId, ok, detail, source, thresholds);
    if (heartbeat && saveReport(this.ctx.storage.sql, nodeId, heartbeat, new Date().toISOString()))
      this.#reviewDue = true;
    if (heartbeat && saveSyncReport(this.ctx.storage.sql, nodeId, heartbeat))
      this.#reviewDue = true;
    if (source === 'heartbeat') {
      this.ctx.storage.sql.exec(
        'INSERT OR REPLACE INTO thresholds (id, rise, fall) VALUES (1, ?, ?)',
        thresholds.rise,
        thresholds.fall,
      );
      this.ctx.storage.sql.exec(
        'INSERT OR REPLACE INTO history_window (id, days) VALUES (1, ?)',
        thresholds.historyDays ?? DEFAULT_HISTORY_DAYS,
      );
      if ((await this.ctx.storage.getAlarm()) === null)
        await this.ctx.storage.setAlarm(Date.now() + MISSED_HEARTBEAT_CHECK_MS);
    }
    await this.#reviewAlerts();
    return health;
  }

  /**
   * A failure live traffic saw on a node, counted only as `trafficCounts` allows. Traffic alone
   * never takes a node down while none of its fallbacks (the nodes that would take its traffic
   * over) is up: the failure is counted, and the node falls once a probe or heartbeat agrees.
   */
  async reportTraffic(
    nodeId: string,
    failure: TrafficFailure,
    thresholds: Thresholds,
    fallbacks: string[],
  ): Promise<NodeHealth> {
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
    const counted = this.#count(nodeId, false, failure.detail, 'traffic', thresholds, mayFall);
    await this.#reviewAlerts();
    return counted;
  }

  /** When changes of state stop being kept: the site's `health.historyDays` ago. */
  #historyCutoff(nowMs: number): string {
    const [row] = this.ctx.storage.sql
      .exec<{ days: number }>('SELECT days FROM history_window WHERE id = 1')
      .toArray();
    return new Date(nowMs - (row?.days ?? DEFAULT_HISTORY_DAYS) * DAY_MS).toISOString();
  }

  /** Reviews the alerts when a node's state or quarantine changed; the alarm delivers them. */
  async #reviewAlerts(): Promise<void> {
    const siteId = this.ctx.id.name;
    if (!this.#reviewDue || !siteId) return;
    this.#reviewDue = false;
    const nowMs = Date.now();
    const sql = this.ctx.storage.sql;
    // Health is recorded either way: an alert review D1 could not serve is tried at the next event.
    const queued = await reviewAlerts(sql, this.env.DB, siteId, () => this.health(), nowMs).catch(
      (error: unknown) => {
        this.#reviewDue = true;
        log.warn('alerts not reviewed; will try again', { siteId, error });
        return false;
      },
    );
    if (!queued) return;
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > nowMs) await this.ctx.storage.setAlarm(nowMs);
  }

  /** Drops changes of state and ended alerts older than the site's `health.historyDays`. */
  #pruneHistory(nowMs: number): void {
    const cutoff = this.#historyCutoff(nowMs);
    this.ctx.storage.sql.exec('DELETE FROM health_changes WHERE at < ?', cutoff);
    pruneAlerts(this.ctx.storage.sql, cutoff);
  }

  /**
   * Has the registry probe its site's nodes from now on, every `health.probeIntervalSeconds`,
   * from its own alarm (the router's cron calls this once per new site); a no-op when it does.
   */
  async startProbing(): Promise<void> {
    const nowMs = Date.now();
    startProbes(this.ctx.storage.sql, nowMs);
    const due = nextProbeMs(this.ctx.storage.sql) ?? nowMs;
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > due) await this.ctx.storage.setAlarm(due);
  }

  /** The last probe cycle the registry made (undefined before the first). */
  probeCycle(): ProbeCycle | undefined {
    return lastProbeCycle(this.ctx.storage.sql);
  }

  /** A probe cycle of the site's nodes, when one is due; a failure is logged and tried again later. */
  async #probeIfDue(nowMs: number): Promise<void> {
    const siteId = this.ctx.id.name;
    const due = nextProbeMs(this.ctx.storage.sql);
    if (!siteId || due === undefined || due > nowMs) return;
    const cycle = await probeSite(this.ctx.storage.sql, this.env.DB, siteId, nowMs).catch(
      (error: unknown) => {
        log.warn('nodes not probed; will try again', { siteId, error });
        return undefined;
      },
    );
    if (!cycle) return;
    const { rise, fall, historyDays } = cycle.site.settings.health;
    for (const result of cycle.results)
      this.#count(result.nodeId, result.ok, result.detail, 'probe', { rise, fall, historyDays });
  }

  /**
   * Probes the site's nodes when a cycle is due; counts a failed check for each node whose
   * heartbeats stopped, and looks again soon while any node sends them; delivers the alerts
   * that are due; prunes the history to its window.
   */
  override async alarm(): Promise<void> {
    await this.#probeIfDue(Date.now());
    const nowMs = Date.now();
    this.#pruneHistory(nowMs);
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
    await this.#reviewAlerts();
    await deliverDue(this.ctx.storage.sql, nowMs);
    const next = [
      rows.length > 0 ? nowMs + MISSED_HEARTBEAT_CHECK_MS : undefined,
      nextDueMs(this.ctx.storage.sql),
      nextProbeMs(this.ctx.storage.sql),
    ].filter((ms) => ms !== undefined);
    if (next.length > 0) await this.ctx.storage.setAlarm(Math.min(...next));
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
      this.#pruneHistory(Date.now());
      this.#reviewDue = true;
    } else if (ok && row.up === 1 && row.reason === NO_CHECKS_YET) {
      // A node up from the start says why once its first check passes, not "no checks yet".
      next.reason = `up (${source}: ${detail})`;
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

  /** What the status page and `wp-edge status` show of the registry, for the last `sinceMs`. */
  status(sinceMs: number): {
    health: Record<string, NodeHealth>;
    reports: Record<string, NodeReport>;
    changes: ReturnType<NodeRegistry['changes']>;
    alerts: AlertPeriod[];
    deliveryFailures: DeliveryFailure[];
  } {
    const sql = this.ctx.storage.sql;
    const since = new Date(sinceMs).toISOString();
    return {
      health: this.health(),
      reports: reports(sql),
      changes: this.changes(200).filter((change) => change.at >= since),
      alerts: periods(sql, since),
      deliveryFailures: deliveryFailures(sql),
    };
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
