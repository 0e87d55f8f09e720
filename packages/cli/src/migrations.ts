import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { unstable_splitSqlQuery } from 'wrangler';

/** The D1 calls applying migrations makes; a D1 binding (or its local proxy) has them. */
export interface D1Binding {
  prepare(query: string): D1Statement;
  batch(statements: D1Statement[]): Promise<unknown>;
}

interface D1Statement {
  bind(...values: unknown[]): D1Statement;
  all(): Promise<{ results: Record<string, unknown>[] }>;
}

/** Core's D1 migrations, which `wrangler d1 migrations apply` also reads. */
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../core/migrations');

// wrangler's own record of applied migrations, so `npm run db:migrate` and this agree.
const MIGRATIONS_TABLE = 'd1_migrations';

/**
 * Applies the migrations `wrangler d1 migrations apply` would, each with its record in
 * `d1_migrations` in one batch, and returns the names applied.
 */
export async function applyMigrations(db: D1Binding, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.batch([
    db.prepare(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`,
    ),
  ]);
  const { results } = await db.prepare(`SELECT name FROM ${MIGRATIONS_TABLE}`).all();
  const applied = new Set(results.map((row) => String(row.name)));
  const pending = (await readdir(dir)).filter(
    (name) => name.endsWith('.sql') && !applied.has(name),
  );
  for (const name of pending.sort()) {
    const statements = unstable_splitSqlQuery(await readFile(path.join(dir, name), 'utf8'));
    await db.batch([
      ...statements.map((statement) => db.prepare(statement)),
      db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (name) VALUES (?)`).bind(name),
    ]);
  }
  return pending;
}
