import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { type DrizzleD1Database, drizzle } from 'drizzle-orm/d1';
import { type FigureRow, FigureTally } from '../figures/tally.ts';
import { edgeFigures } from './schema.ts';

const MINUTE_MS = 60_000;
// D1 binds at most 100 parameters per statement: 4 per row.
const ROWS_PER_STATEMENT = 25;

/** Adds a tally's batch to `edge_figures` in one D1 batch. */
export async function flushFigures(db: DrizzleD1Database, rows: FigureRow[]): Promise<void> {
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    statements.push(
      db
        .insert(edgeFigures)
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .onConflictDoUpdate({
          target: [edgeFigures.siteId, edgeFigures.minute, edgeFigures.name],
          set: { count: sql`${edgeFigures.count} + excluded.count` },
        }),
    );
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/** A site's figures from `sinceMs` on, oldest minute first. */
export function readFigures(
  db: DrizzleD1Database,
  siteId: string,
  sinceMs: number,
): Promise<FigureRow[]> {
  return db
    .select()
    .from(edgeFigures)
    .where(
      and(eq(edgeFigures.siteId, siteId), gte(edgeFigures.minute, Math.floor(sinceMs / MINUTE_MS))),
    )
    .orderBy(edgeFigures.minute);
}

/** Drops every site's figures older than `beforeMs`. */
export async function pruneFigures(db: DrizzleD1Database, beforeMs: number): Promise<void> {
  await db.delete(edgeFigures).where(lt(edgeFigures.minute, Math.floor(beforeMs / MINUTE_MS)));
}

/** An isolate's tally of edge figures, written to D1 in batches. */
export interface FigureCounter {
  /** Counts one event; every 10 s or so, hands the batch to `waitUntil` for D1. */
  count(
    d1: D1Database,
    waitUntil: (promise: Promise<unknown>) => void,
    siteId: string,
    name: string,
  ): void;
  /** Writes what is tallied now (the Cron, and tests that read the figures back). */
  flush(d1: D1Database): Promise<void>;
}

/**
 * The tally a Worker keeps per isolate (module-level: its one owner is the Worker's counting
 * module, and it lives as long as the isolate), flushed to `edge_figures` in batches.
 * @example
 * const figures = figureCounter();
 * figures.count(c.env.DB, (p) => c.executionCtx.waitUntil(p), site.id, 'cache.hit');
 */
export function figureCounter(): FigureCounter {
  const tally = new FigureTally();
  const flush = (d1: D1Database) => flushFigures(drizzle(d1), tally.take());
  return {
    count(d1, waitUntil, siteId, name) {
      if (tally.count(siteId, name)) waitUntil(flush(d1));
    },
    flush,
  };
}
