import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { WordPressDb } from '../db/wordpress-db.ts';
import type { SiteTimeZone } from './wp-dates.ts';

/** What applying a page needs to know of the database, read in one query. */
export interface ApplyContext {
  /** The site's time zone, from WordPress's `timezone_string` and `gmt_offset` options. */
  zone: SiteTimeZone;
  /**
   * How far apart the ids of one multi-row insert are: `auto_increment_increment`, when InnoDB
   * hands a statement consecutive ids (innodb_autoinc_lock_mode 0 or 1, MariaDB's default);
   * undefined when it may interleave them with other inserts (mode 2), so rows go one at a time.
   */
  idStep: number | undefined;
}

export async function applyContext(
  connection: PoolConnection,
  db: WordPressDb,
): Promise<ApplyContext> {
  const option = (name: string) =>
    `(SELECT option_value FROM ${db.table('options')} WHERE option_name = '${name}')`;
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step,
            ${option('gmt_offset')} AS gmt_offset, ${option('timezone_string')} AS timezone_string`,
  );
  const row = rows[0];
  const timeZone = row?.timezone_string ? String(row.timezone_string) : undefined;
  return {
    zone: { offsetHours: Number(row?.gmt_offset ?? 0) || 0, ...(timeZone ? { timeZone } : {}) },
    idStep: Number(row?.mode) < 2 ? Number(row?.step) : undefined,
  };
}
