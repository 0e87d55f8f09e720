/** The part of a SQLite-backed Durable Object's storage that wiping it needs. */
export interface SqlStorageOwner {
  sql: {
    exec<T extends Record<string, string | number | null | ArrayBuffer>>(
      query: string,
    ): { toArray(): T[] };
  };
  deleteAlarm(): Promise<void>;
}

const TABLES =
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'";

/** Per table of a Durable Object's SQLite storage, how many rows it holds. */
export function storedRows(storage: SqlStorageOwner): Record<string, number> {
  const tables = storage.sql.exec<{ name: string }>(TABLES).toArray();
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM "${name}"`).toArray()[0]?.n ?? 0,
    ]),
  );
}

/**
 * Forgets everything a SQLite-backed Durable Object stores: every table's rows and its
 * alarm. The tables stay, so the object goes on answering (as a new one would). Returns
 * `storedRows` afterwards, so a caller can see nothing is left.
 * @example
 * async wipe() { return wipeStorage(this.ctx.storage); }
 */
export async function wipeStorage(storage: SqlStorageOwner): Promise<Record<string, number>> {
  await storage.deleteAlarm();
  for (const name of Object.keys(storedRows(storage))) storage.sql.exec(`DELETE FROM "${name}"`);
  return storedRows(storage);
}
