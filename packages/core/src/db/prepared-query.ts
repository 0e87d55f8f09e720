import { fillPlaceholders } from 'drizzle-orm';
import { type DrizzleD1Database, drizzle } from 'drizzle-orm/d1';

/** What `preparedQuery` keeps of a drizzle query prepared once: its SQL and how to read its answer. */
interface Prepared {
  getQuery(): { sql: string; params: unknown[] };
  mapResult(response: unknown, isFromBatch?: boolean): unknown;
}

/** One statement of a `runPrepared` batch: bound to its values, and how to read its answer. */
export interface PreparedItem<T> {
  statement: D1PreparedStatement;
  read(result: D1Result): T;
}

/** Placeholder values by name: a placeholder bound to a column is encoded as the column encodes it. */
export type PlaceholderValues = Record<string, unknown>;

/**
 * A drizzle query whose SQL is rendered once per isolate, with `sql.placeholder(name)` where
 * each run's values go. Drizzle renders a query's SQL anew every time it runs, which on the
 * comment intake was about a third of the Worker's CPU; this renders it once and only binds.
 * The answer is read as drizzle reads it (the type of awaiting the query).
 * @example
 * const postRead = preparedQuery((db) =>
 *   db.select({ status: posts.status }).from(posts).where(eq(posts.id, sql.placeholder('id'))),
 * );
 * const [rows] = await runPrepared(env.DB, [postRead(env.DB, { id: 12 })]);
 */
export function preparedQuery<Q extends PromiseLike<unknown> & { prepare(): Prepared }>(
  build: (db: DrizzleD1Database) => Q,
): (d1: D1Database, values: PlaceholderValues) => PreparedItem<Awaited<Q>> {
  let prepared: { sql: string; params: unknown[]; query: Prepared } | undefined;
  return (d1, values) => {
    if (!prepared) {
      const query = build(drizzle(d1)).prepare();
      prepared = { ...query.getQuery(), query };
    }
    const { sql, params, query } = prepared;
    return {
      statement: d1.prepare(sql).bind(...fillPlaceholders(params, values)),
      read: (result) => query.mapResult(result, true) as Awaited<Q>,
    };
  };
}

type Answers<T extends readonly PreparedItem<unknown>[]> = {
  -readonly [K in keyof T]: T[K] extends PreparedItem<infer R> ? R : never;
};

/** Runs prepared statements as one D1 batch (one round trip, one transaction); answers in their order. */
export async function runPrepared<const T extends readonly PreparedItem<unknown>[]>(
  d1: D1Database,
  items: T,
): Promise<Answers<T>> {
  const results = await d1.batch(items.map((item) => item.statement));
  return items.map((item, i) => item.read(results[i] as D1Result)) as Answers<T>;
}
