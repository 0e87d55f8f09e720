import type { Heartbeat } from '@wp-edge/core';

/** What nodes' heartbeats said of the content sync, as the alerts read it. */
export interface SyncReports {
  /** Every generation a node has said it serves, oldest first (pruned below the oldest served). */
  generations: string[];
  /** Each node whose last content sync pass failed. */
  failures: Record<string, NonNullable<Heartbeat['syncFailure']>>;
  /** Each node's kept edits the owner has not been told of yet. */
  untoldKeptEdits: Record<string, NonNullable<Heartbeat['keptEdits']>>;
}

/** The tables behind `saveSyncReport` (storage-schema.md). */
export const SYNC_TABLES = `
  CREATE TABLE IF NOT EXISTS node_content (node_id TEXT PRIMARY KEY, generation TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS content_generations (generation TEXT PRIMARY KEY);
  CREATE TABLE IF NOT EXISTS node_sync (node_id TEXT PRIMARY KEY, failure TEXT, kept TEXT, kept_told TEXT);
`;

interface SyncRow extends Record<string, SqlStorageValue> {
  node_id: string;
  failure: string | null;
  kept: string | null;
  kept_told: string | null;
}

const snapshotOf = (kept: string | null) =>
  kept ? (JSON.parse(kept) as NonNullable<Heartbeat['keptEdits']>).snapshot : null;

function saveGeneration(sql: SqlStorage, nodeId: string, generation: string): boolean {
  const [before] = sql
    .exec<{ generation: string }>('SELECT generation FROM node_content WHERE node_id = ?', nodeId)
    .toArray();
  sql.exec(
    'INSERT OR REPLACE INTO node_content (node_id, generation) VALUES (?, ?)',
    nodeId,
    generation,
  );
  sql.exec('INSERT OR IGNORE INTO content_generations (generation) VALUES (?)', generation);
  sql.exec(
    'DELETE FROM content_generations WHERE generation < (SELECT MIN(generation) FROM node_content)',
  );
  return before?.generation !== generation;
}

/**
 * Keeps what a heartbeat said of the content sync: the generation served, a failing pass (gone
 * once a pass succeeds), the last kept edits. Says whether the alerts need a review: something
 * changed, or a node serves an older generation than another (how long it has waited counts).
 */
export function saveSyncReport(sql: SqlStorage, nodeId: string, heartbeat: Heartbeat): boolean {
  const generationChanged = heartbeat.contentGeneration
    ? saveGeneration(sql, nodeId, heartbeat.contentGeneration)
    : false;
  const [before] = sql.exec<SyncRow>('SELECT * FROM node_sync WHERE node_id = ?', nodeId).toArray();
  const failure = heartbeat.syncFailure ? JSON.stringify(heartbeat.syncFailure) : null;
  const kept = heartbeat.keptEdits ? JSON.stringify(heartbeat.keptEdits) : (before?.kept ?? null);
  sql.exec(
    'INSERT OR REPLACE INTO node_sync (node_id, failure, kept, kept_told) VALUES (?, ?, ?, ?)',
    nodeId,
    failure,
    kept,
    before?.kept_told ?? null,
  );
  const [spread] = sql
    .exec<{ n: number }>('SELECT COUNT(DISTINCT generation) AS n FROM node_content')
    .toArray();
  return (
    generationChanged ||
    (failure === null) !== ((before?.failure ?? null) === null) ||
    snapshotOf(kept) !== (before?.kept_told ?? null) ||
    (spread?.n ?? 0) > 1
  );
}

/** What the content sync's heartbeats said, for the alerts. */
export function syncReports(sql: SqlStorage): SyncReports {
  const rows = sql.exec<SyncRow>('SELECT * FROM node_sync').toArray();
  const failures: SyncReports['failures'] = {};
  const untoldKeptEdits: SyncReports['untoldKeptEdits'] = {};
  for (const row of rows) {
    if (row.failure) failures[row.node_id] = JSON.parse(row.failure);
    if (row.kept && snapshotOf(row.kept) !== row.kept_told)
      untoldKeptEdits[row.node_id] = JSON.parse(row.kept);
  }
  const generations = sql
    .exec<{ generation: string }>('SELECT generation FROM content_generations ORDER BY generation')
    .toArray()
    .map((row) => row.generation);
  return { generations, failures, untoldKeptEdits };
}

/** Records that the owner was told of a node's kept edits, so they are told once. */
export function keptEditsTold(sql: SqlStorage, nodeId: string, snapshot: string): void {
  sql.exec('UPDATE node_sync SET kept_told = ? WHERE node_id = ?', snapshot, nodeId);
}
