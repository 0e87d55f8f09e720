/** One request to a webhook or the email API, kept until it is delivered or given up. */
export interface Delivery {
  url: string;
  /** The alert's event name, for the record of failures. */
  event: string;
  headers: Record<string, string>;
  body: string;
}

/** A delivery that failed, as the status page and `wp-edge status` show it. */
export interface DeliveryFailure {
  at: string;
  /** The host only: Slack's and Telegram's URLs carry the secret that posts to the channel. */
  host: string;
  event: string;
  error: string;
  attempt: number;
  gaveUp: boolean;
}

interface OutboxRow extends Record<string, SqlStorageValue> {
  id: number;
  delivery: string;
  attempts: number;
}

const MAX_ATTEMPTS = 6;
const KEPT_FAILURES = 50;
const TIMEOUT_MS = 10_000;

/** The tables behind the outbox (storage-schema.md). */
export const OUTBOX_TABLES = `
  CREATE TABLE IF NOT EXISTS alert_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, delivery TEXT NOT NULL, attempts INTEGER NOT NULL, next_at_ms INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS delivery_failures (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, host TEXT NOT NULL, event TEXT NOT NULL, error TEXT NOT NULL, attempt INTEGER NOT NULL, gave_up INTEGER NOT NULL);
`;

/** Queues deliveries to go out at the next alarm. */
export function enqueue(sql: SqlStorage, deliveries: Delivery[], nowMs: number): void {
  for (const delivery of deliveries)
    sql.exec(
      'INSERT INTO alert_outbox (delivery, attempts, next_at_ms) VALUES (?, 0, ?)',
      JSON.stringify(delivery),
      nowMs,
    );
}

/** When the next queued delivery is due, if any is queued. */
export function nextDueMs(sql: SqlStorage): number | undefined {
  const [row] = sql
    .exec<{ due: number | null }>('SELECT MIN(next_at_ms) AS due FROM alert_outbox')
    .toArray();
  return row?.due ?? undefined;
}

async function send(delivery: Delivery): Promise<string | undefined> {
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok ? undefined : `answered ${response.status}`;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Sends every delivery that is due; one that fails is tried again later (2, 4, 8… minutes),
 * up to 6 times, and every failure is recorded, since it cannot be told by webhook.
 */
export async function deliverDue(sql: SqlStorage, nowMs: number): Promise<void> {
  const due = sql
    .exec<OutboxRow>('SELECT id, delivery, attempts FROM alert_outbox WHERE next_at_ms <= ?', nowMs)
    .toArray();
  const results = await Promise.all(
    due.map(async (row) => ({ row, error: await send(JSON.parse(row.delivery) as Delivery) })),
  );
  for (const { row, error } of results) {
    if (error === undefined) {
      sql.exec('DELETE FROM alert_outbox WHERE id = ?', row.id);
      continue;
    }
    const attempt = row.attempts + 1;
    const delivery = JSON.parse(row.delivery) as Delivery;
    const gaveUp = attempt >= MAX_ATTEMPTS;
    sql.exec(
      'INSERT INTO delivery_failures (at, host, event, error, attempt, gave_up) VALUES (?, ?, ?, ?, ?, ?)',
      new Date(nowMs).toISOString(),
      URL.canParse(delivery.url) ? new URL(delivery.url).host : 'unreadable',
      delivery.event,
      error.slice(0, 300),
      attempt,
      gaveUp ? 1 : 0,
    );
    if (gaveUp) sql.exec('DELETE FROM alert_outbox WHERE id = ?', row.id);
    else
      sql.exec(
        'UPDATE alert_outbox SET attempts = ?, next_at_ms = ? WHERE id = ?',
        attempt,
        nowMs + 2 ** attempt * 60_000,
        row.id,
      );
  }
  sql.exec(
    'DELETE FROM delivery_failures WHERE id <= (SELECT MAX(id) FROM delivery_failures) - ?',
    KEPT_FAILURES,
  );
}

/** The latest delivery failures, newest first. */
export function deliveryFailures(sql: SqlStorage, limit = 20): DeliveryFailure[] {
  return sql
    .exec<{
      at: string;
      host: string;
      event: string;
      error: string;
      attempt: number;
      gave_up: number;
    }>('SELECT * FROM delivery_failures ORDER BY id DESC LIMIT ?', limit)
    .toArray()
    .map((row) => ({
      at: row.at,
      host: row.host,
      event: row.event,
      error: row.error,
      attempt: row.attempt,
      gaveUp: row.gave_up === 1,
    }));
}
