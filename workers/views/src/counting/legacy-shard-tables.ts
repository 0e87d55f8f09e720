/** The day legacy counts older than a shard's kept days are filed under: before any real day. */
export const BEFORE_DAYS = '0000-00-00';

function tableNames(sql: SqlStorage): Set<string> {
  return new Set(
    sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .toArray()
      .map((row) => row.name),
  );
}

/**
 * Moves the counts a shard kept before the rollup (its own `page_days` and `page_totals`)
 * into `closed_days` under the source `<shard>:legacy`, for its next flush to hand to the
 * rollup, and drops the old tables. The old `visits_today` (one row per page and visitor,
 * without a view count) is dropped too: on the day of the upgrade a returning visitor may
 * count once more. Runs before the shard's own tables are made, and does nothing after; a
 * shard that does not know its name yet (woken by an alarm) moves its counts when it does.
 */
export function moveLegacyCounts(sql: SqlStorage, shard: string | undefined): void {
  const tables = tableNames(sql);
  sql.exec('DROP TABLE IF EXISTS seen_today');
  if (tables.has('visits_today')) {
    const columns = sql.exec<{ name: string }>('PRAGMA table_info(visits_today)').toArray();
    if (!columns.some((column) => column.name === 'views')) sql.exec('DROP TABLE visits_today');
  }
  if (!tables.has('page_totals') || shard === undefined) return;
  sql.exec(
    'CREATE TABLE IF NOT EXISTS closed_days (source TEXT NOT NULL, day TEXT NOT NULL, page TEXT NOT NULL, views INTEGER NOT NULL, visitors INTEGER NOT NULL, PRIMARY KEY (source, day, page)) WITHOUT ROWID',
  );
  const source = `${shard}:legacy`;
  sql.exec(
    'INSERT INTO closed_days (source, day, page, views, visitors) SELECT ?, day, page, views, visitors FROM page_days WHERE true ON CONFLICT DO NOTHING',
    source,
  );
  sql.exec(
    `INSERT INTO closed_days (source, day, page, views, visitors)
       SELECT ?, ?, t.page, t.views - COALESCE(SUM(d.views), 0), t.visitors - COALESCE(SUM(d.visitors), 0)
       FROM page_totals t LEFT JOIN page_days d ON d.page = t.page
       GROUP BY t.page HAVING t.views > COALESCE(SUM(d.views), 0) OR t.visitors > COALESCE(SUM(d.visitors), 0)
     ON CONFLICT DO NOTHING`,
    source,
    BEFORE_DAYS,
  );
  sql.exec('DROP TABLE IF EXISTS page_days');
  sql.exec('DROP TABLE page_totals');
}
