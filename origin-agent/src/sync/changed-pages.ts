import { createReadStream } from 'node:fs';
import { access, appendFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { type GenerationPurge, MAX_GENERATION_PURGE_PAGES } from '@wp-edge/core';
import type mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import {
  permalinkColumns,
  plainPermalink,
  prettyPermalink,
  rowPost,
} from '../catalog/permalinks.ts';
import { inTransaction, type WordPressDb } from '../db/wordpress-db.ts';
import { PUBLISHED_PAGES_TABLE } from './sync-tables.ts';

/** Posts with a public page of their own; other types and statuses have none to purge. */
const PUBLIC = "p.post_status = 'publish' AND p.post_type IN ('post', 'page')";

/** Rows remembered per statement once a generation is committed. */
const REMEMBERED_AT_ONCE = 500;

/**
 * A post whose page changed: its address now (none once it left), as last published, and its
 * plain `?p=ID` address (`?page_id=ID` for a page), which WordPress serves as the page too.
 */
interface PageChange {
  id: number;
  fingerprint: string | null;
  path: string | null;
  old: string | null;
  plain: string;
}

/** The record of what the last generation published of each public post (agent-tables.md). */
export async function ensurePublishedPagesTable(db: WordPressDb): Promise<void> {
  await db.pool.query(
    `CREATE TABLE IF NOT EXISTS ${db.table(PUBLISHED_PAGES_TABLE)} (
      post_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
      fingerprint CHAR(32) NOT NULL,
      path VARCHAR(2048) NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  );
}

const pathOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

/**
 * The feeds WordPress links a post's page and the site from, as `get_feed_link` and
 * `get_post_comments_feed_link` build them: `/feed/` and `/comments/feed/` and the post's
 * `<permalink>feed/` under pretty permalinks (no trailing slash when the structure has none),
 * `?feed=rss2`, `?feed=comments-rss2` and `?feed=rss2&p=ID` without.
 */
export function feedPaths(structure: string, home: string) {
  const homePath = pathOf(`${home.replace(/\/+$/, '')}/`);
  const slash = structure.endsWith('/') ? '/' : '';
  return {
    front: homePath,
    site: structure
      ? [`${homePath}feed${slash}`, `${homePath}comments/feed${slash}`]
      : [`${homePath}?feed=rss2`, `${homePath}?feed=comments-rss2`],
    /** A post's comments feed, from its page's path. */
    comments(pagePath: string): string {
      if (!structure) return pagePath.replace('?', '?feed=rss2&');
      return `${pagePath.endsWith('/') ? pagePath : `${pagePath}/`}feed${slash}`;
    },
  };
}

/** Every page to purge for these changes: each post's page and comments feed, then and now. */
function purgeOf(
  changes: PageChange[],
  named: boolean,
  structure: string,
  home: string,
): GenerationPurge {
  if (changes.length === 0) return [];
  if (!named) return 'site';
  const feeds = feedPaths(structure, home);
  const pages = new Set([feeds.front, ...feeds.site]);
  for (const change of changes) {
    pages.add(change.plain);
    for (const page of [change.path, change.old])
      if (page) {
        pages.add(page);
        pages.add(feeds.comments(page));
      }
  }
  return pages.size > MAX_GENERATION_PURGE_PAGES ? 'site' : [...pages];
}

async function option(connection: mysql.PoolConnection, db: WordPressDb, name: string) {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT option_value FROM ${db.table('options')} WHERE option_name = ?`,
    [name],
  );
  return String(rows[0]?.option_value ?? '');
}

function rows(connection: mysql.PoolConnection, sql: string, values: unknown[]) {
  // The callback connection underneath: only it streams rows.
  const raw = connection.connection as unknown as import('mysql2').Connection;
  return raw.query({ sql, values }).stream() as AsyncIterable<RowDataPacket>;
}

/**
 * Finds, in the dump's snapshot (`connection`), the public posts whose page changed since the
 * last generation this node published, and the purge they make. Each change is spooled to
 * `spoolFile` as a JSON line, for `rememberPublishedPages` once the generation is committed;
 * memory holds at most a purge's worth of changes. A post's fingerprint covers what its page
 * shows and where it is, with the permalink settings, so changing those changes every post.
 */
export async function changedPages(
  connection: mysql.PoolConnection,
  db: WordPressDb,
  spoolFile: string,
): Promise<GenerationPurge> {
  // One connection answers one query at a time: the snapshot's options, one after the other.
  const structure = await option(connection, db, 'permalink_structure');
  const home = await option(connection, db, 'home');
  const pages = db.table(PUBLISHED_PAGES_TABLE);
  const print =
    "MD5(CONCAT_WS('|', ?, ?, p.post_type, p.post_status, p.post_name, p.post_date, p.post_parent, p.post_modified_gmt, p.post_password, p.comment_status, p.menu_order, p.post_title, p.post_excerpt, p.post_content))";
  const kept: PageChange[] = [];
  let count = 0;
  let named = true;
  const spool = async (change: PageChange) => {
    await appendFile(spoolFile, `${JSON.stringify(change)}\n`);
    if (++count <= MAX_GENERATION_PURGE_PAGES) kept.push(change);
  };
  for await (const row of rows(
    connection,
    `SELECT ${permalinkColumns('p.')}, ${print} AS fingerprint, k.path AS old
       FROM ${db.table('posts')} p LEFT JOIN ${pages} k ON k.post_id = p.ID
      WHERE ${PUBLIC} AND (k.fingerprint IS NULL OR k.fingerprint <> ${print})`,
    [structure, home, structure, home],
  )) {
    const post = rowPost(row);
    const pretty = prettyPermalink(post, structure, home);
    // A pretty address this agent cannot build is no page it can name: the site is purged.
    if (structure && !pretty) named = false;
    const plain = pathOf(plainPermalink(post, home));
    const path = pretty ? pathOf(pretty) : plain;
    await spool({
      id: post.id,
      fingerprint: String(row.fingerprint),
      path,
      old: row.old ?? null,
      plain,
    });
  }
  for await (const row of rows(
    connection,
    `SELECT k.post_id, k.path, q.post_type FROM ${pages} k
       LEFT JOIN ${db.table('posts')} p ON p.ID = k.post_id AND ${PUBLIC}
       LEFT JOIN ${db.table('posts')} q ON q.ID = k.post_id
      WHERE p.ID IS NULL`,
    [],
  )) {
    const id = Number(row.post_id);
    // A post deleted outright has no type left: its plain address is `?p=ID`.
    const plain = pathOf(plainPermalink({ id, type: String(row.post_type ?? 'post') }, home));
    await spool({ id, fingerprint: null, path: null, old: String(row.path), plain });
  }
  if (count > MAX_GENERATION_PURGE_PAGES) return 'site';
  return purgeOf(kept, named, structure, home);
}

async function remember(db: WordPressDb, batch: PageChange[]): Promise<void> {
  const table = db.table(PUBLISHED_PAGES_TABLE);
  const gone = batch.filter((change) => change.fingerprint === null).map((change) => change.id);
  const kept = batch.filter((change) => change.fingerprint !== null);
  await inTransaction(db, async (connection) => {
    if (gone.length > 0)
      await connection.query(`DELETE FROM ${table} WHERE post_id IN (?)`, [gone]);
    if (kept.length > 0)
      await connection.query(`REPLACE INTO ${table} (post_id, fingerprint, path) VALUES ?`, [
        kept.map((change) => [change.id, change.fingerprint, change.path]),
      ]);
  });
}

/**
 * Records the spooled changes as published, a batch at a time: the next generation purges only
 * what changed after this one.
 */
export async function rememberPublishedPages(db: WordPressDb, spoolFile: string): Promise<void> {
  if (
    !(await access(spoolFile).then(
      () => true,
      () => false,
    ))
  )
    return;
  let batch: PageChange[] = [];
  for await (const line of createInterface({ input: createReadStream(spoolFile) })) {
    if (!line) continue;
    batch.push(JSON.parse(line) as PageChange);
    if (batch.length === REMEMBERED_AT_ONCE) {
      await remember(db, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await remember(db, batch);
}
