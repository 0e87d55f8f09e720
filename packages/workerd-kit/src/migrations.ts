import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../core/migrations');

/** Something that runs SQL like a D1 database binding. */
interface SqlRunner {
  prepare(query: string): { run(): Promise<unknown> };
}

/** Applies core's D1 migrations, in order, to a database of a Miniflare instance. */
export async function applyMigrations(db: SqlRunner): Promise<void> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith('.sql')).sort();
  for (const file of files) {
    const sql = await readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
    for (const statement of sql.split('--> statement-breakpoint')) {
      if (statement.trim()) await db.prepare(statement).run();
    }
  }
}
