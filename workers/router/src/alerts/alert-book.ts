import type { AlertKind, Condition } from './conditions.ts';

/** A condition that opened or recovered since the registry last looked. */
export interface AlertChange {
  state: 'opened' | 'recovered';
  condition: Condition;
  /** When the condition opened (ISO time); for a recovery, how long ago it began. */
  openedAt: string;
  at: string;
}

/** One period of a condition, open while `closedAt` is undefined. */
export interface AlertPeriod {
  kind: AlertKind;
  nodeId?: string;
  detail: string;
  openedAt: string;
  closedAt?: string;
}

interface AlertRow extends Record<string, SqlStorageValue> {
  id: number;
  key: string;
  kind: string;
  node_id: string | null;
  detail: string;
  opened_at: string;
  closed_at: string | null;
}

/** The tables behind `reconcile` and `periods` (storage-schema.md). */
export const ALERT_TABLES = `
  CREATE TABLE IF NOT EXISTS alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, kind TEXT NOT NULL, node_id TEXT, detail TEXT NOT NULL, opened_at TEXT NOT NULL, closed_at TEXT);
  CREATE INDEX IF NOT EXISTS alerts_open ON alerts (key) WHERE closed_at IS NULL;
`;

const toCondition = (row: AlertRow): Condition => ({
  key: row.key,
  kind: row.kind as AlertKind,
  ...(row.node_id ? { nodeId: row.node_id } : {}),
  detail: row.detail,
});

/**
 * Brings the book of open alerts in line with the conditions as they stand: a new condition
 * opens (told once), one no longer there recovers (told once), one still open stays silent
 * even when its detail changes. Synchronous, so one Durable Object event does it whole.
 */
export function reconcile(sql: SqlStorage, conditions: Condition[], at: string): AlertChange[] {
  const open = sql.exec<AlertRow>('SELECT * FROM alerts WHERE closed_at IS NULL').toArray();
  const changes: AlertChange[] = [];
  for (const row of open) {
    if (conditions.some((condition) => condition.key === row.key)) continue;
    sql.exec('UPDATE alerts SET closed_at = ? WHERE id = ?', at, row.id);
    changes.push({ state: 'recovered', condition: toCondition(row), openedAt: row.opened_at, at });
  }
  for (const condition of conditions) {
    if (open.some((row) => row.key === condition.key)) continue;
    sql.exec(
      'INSERT INTO alerts (key, kind, node_id, detail, opened_at) VALUES (?, ?, ?, ?, ?)',
      condition.key,
      condition.kind,
      condition.nodeId ?? null,
      condition.detail,
      at,
    );
    changes.push({ state: 'opened', condition, openedAt: at, at });
  }
  return changes;
}

/** Books a one-time notice (no recovery follows): its period closes as it opens. */
export function notice(sql: SqlStorage, condition: Condition, at: string): AlertChange {
  sql.exec(
    'INSERT INTO alerts (key, kind, node_id, detail, opened_at, closed_at) VALUES (?, ?, ?, ?, ?, ?)',
    condition.key,
    condition.kind,
    condition.nodeId ?? null,
    condition.detail,
    at,
    at,
  );
  return { state: 'opened', condition, openedAt: at, at };
}

/** The periods of each condition open at any time since `since` (ISO time), oldest first. */
export function periods(sql: SqlStorage, since: string): AlertPeriod[] {
  return sql
    .exec<AlertRow>(
      'SELECT * FROM alerts WHERE closed_at IS NULL OR closed_at >= ? ORDER BY id',
      since,
    )
    .toArray()
    .map((row) => ({
      kind: row.kind as AlertKind,
      ...(row.node_id ? { nodeId: row.node_id } : {}),
      detail: row.detail,
      openedAt: row.opened_at,
      ...(row.closed_at ? { closedAt: row.closed_at } : {}),
    }));
}

/** Drops periods that ended before `cutoff` (ISO time). */
export function pruneAlerts(sql: SqlStorage, cutoff: string): void {
  sql.exec('DELETE FROM alerts WHERE closed_at IS NOT NULL AND closed_at < ?', cutoff);
}
