import type { Heartbeat } from '@wp-edge/core';

/** What a node's last heartbeat said besides its checks, as the status page shows it. */
export interface NodeReport {
  reportedAt: string;
  quarantined?: number;
  viewsCopiedAt?: string;
  commentLag?: number;
}

interface ReportRow extends Record<string, SqlStorageValue> {
  node_id: string;
  reported_at: string;
  quarantined: number | null;
  views_copied_at: string | null;
  comment_lag: number | null;
}

/** The table behind `saveReport` (storage-schema.md). */
export const REPORT_TABLES = `
  CREATE TABLE IF NOT EXISTS node_reports (node_id TEXT PRIMARY KEY, reported_at TEXT NOT NULL, quarantined INTEGER, views_copied_at TEXT, comment_lag INTEGER);
`;

/** Keeps what a heartbeat reported; says whether the node's quarantine count changed. */
export function saveReport(
  sql: SqlStorage,
  nodeId: string,
  heartbeat: Heartbeat,
  at: string,
): boolean {
  const [before] = sql
    .exec<{ quarantined: number | null; views_copied_at: string | null }>(
      'SELECT quarantined, views_copied_at FROM node_reports WHERE node_id = ?',
      nodeId,
    )
    .toArray();
  sql.exec(
    'INSERT OR REPLACE INTO node_reports (node_id, reported_at, quarantined, views_copied_at, comment_lag) VALUES (?, ?, ?, ?, ?)',
    nodeId,
    at,
    heartbeat.quarantined ?? before?.quarantined ?? null,
    heartbeat.viewsCopiedAt ?? before?.views_copied_at ?? null,
    heartbeat.commentLag ?? null,
  );
  return heartbeat.quarantined !== undefined && heartbeat.quarantined !== before?.quarantined;
}

/** Every node's last report. */
export function reports(sql: SqlStorage): Record<string, NodeReport> {
  const rows = sql.exec<ReportRow>('SELECT * FROM node_reports').toArray();
  return Object.fromEntries(
    rows.map((row) => [
      row.node_id,
      {
        reportedAt: row.reported_at,
        ...(row.quarantined === null ? {} : { quarantined: row.quarantined }),
        ...(row.views_copied_at ? { viewsCopiedAt: row.views_copied_at } : {}),
        ...(row.comment_lag === null ? {} : { commentLag: row.comment_lag }),
      },
    ]),
  );
}

/** Each node's quarantine count as last reported. */
export function quarantineCounts(sql: SqlStorage): Record<string, number> {
  return Object.fromEntries(
    Object.entries(reports(sql)).map(([nodeId, report]) => [nodeId, report.quarantined ?? 0]),
  );
}
