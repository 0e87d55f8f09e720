import type { Logger } from '@wp-edge/core';
import { AGENT_ROUTES, MAX_CATALOG_ITEMS, WordPressLocale } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import { inTransaction, type WordPressDb } from '../db/wordpress-db.ts';
import { type EdgeClient, EdgeError } from '../edge/edge-client.ts';
import { pageAddresses, permalinkColumns, rowPermalink, rowPost } from './permalinks.ts';

// Posts that never take comments or are not content: WordPress's bookkeeping statuses.
const SKIPPED_STATUSES = ['auto-draft', 'inherit', 'trash'];

type Kind = 'p' | 'c';

// Each kind of change takes at most a quarter of a publish request, so one request carries
// every kind and memory stays bounded however large the site is.
const PER_KIND = Math.floor(MAX_CATALOG_ITEMS / 4);

export interface CatalogResult {
  /** False when the edge says this node is not the site's primary (its catalog is not wanted). */
  primary: boolean;
  sent: number;
}

/** The agent's record of what it last published (documented in ../comments/agent-tables.md). */
export async function ensureCatalogTable(db: WordPressDb): Promise<void> {
  await db.pool.query(
    `CREATE TABLE IF NOT EXISTS ${db.table('wp_edge_catalog')} (
      kind CHAR(1) NOT NULL,
      id BIGINT UNSIGNED NOT NULL,
      fingerprint VARCHAR(2100) NOT NULL,
      PRIMARY KEY (kind, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  );
}

async function option(db: WordPressDb, name: string): Promise<string> {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    `SELECT option_value FROM ${db.table('options')} WHERE option_name = ?`,
    [name],
  );
  return String(rows[0]?.option_value ?? '');
}

/**
 * One publish request's worth of what differs from the last publish, found by the database:
 * a post's fingerprint is what its catalog entry is made of (with the permalink settings, so
 * changing them republishes every post), a comment's is its post and approval.
 */
async function nextChanges(db: WordPressDb, structure: string, home: string) {
  const catalog = db.table('wp_edge_catalog');
  const postPrint =
    "CONCAT_WS('|', ?, ?, p.post_status, p.comment_status, p.post_type, p.post_name, p.post_date, p.post_parent, p.post_password <> '')";
  const commentPrint = "CONCAT_WS('|', c.comment_post_ID, c.comment_approved)";
  const [[posts], [removedPosts], [comments], [removedComments]] = await Promise.all([
    db.pool.query<RowDataPacket[]>(
      `SELECT ${permalinkColumns('p.')}, p.post_status, p.comment_status, p.post_password <> '' AS protected, ${postPrint} AS fingerprint
         FROM ${db.table('posts')} p LEFT JOIN ${catalog} k ON k.kind = 'p' AND k.id = p.ID
        WHERE p.post_status NOT IN (?) AND (k.fingerprint IS NULL OR BINARY k.fingerprint <> BINARY ${postPrint})
        LIMIT ?`,
      [structure, home, SKIPPED_STATUSES, structure, home, PER_KIND],
    ),
    db.pool.query<RowDataPacket[]>(
      `SELECT k.id FROM ${catalog} k LEFT JOIN ${db.table('posts')} p ON p.ID = k.id AND p.post_status NOT IN (?)
        WHERE k.kind = 'p' AND p.ID IS NULL LIMIT ?`,
      [SKIPPED_STATUSES, PER_KIND],
    ),
    db.pool.query<RowDataPacket[]>(
      `SELECT c.comment_ID, c.comment_post_ID, c.comment_approved, ${commentPrint} AS fingerprint
         FROM ${db.table('comments')} c LEFT JOIN ${catalog} k ON k.kind = 'c' AND k.id = c.comment_ID
        WHERE k.fingerprint IS NULL OR BINARY k.fingerprint <> BINARY ${commentPrint}
        LIMIT ?`,
      [PER_KIND],
    ),
    db.pool.query<RowDataPacket[]>(
      `SELECT k.id FROM ${catalog} k LEFT JOIN ${db.table('comments')} c ON c.comment_ID = k.id
        WHERE k.kind = 'c' AND c.comment_ID IS NULL LIMIT ?`,
      [PER_KIND],
    ),
  ]);
  return { posts, removedPosts, comments, removedComments };
}

async function remember(
  db: WordPressDb,
  changed: { kind: Kind; id: number; fingerprint: string }[],
  removed: { kind: Kind; id: number }[],
): Promise<void> {
  return inTransaction(db, async (connection) => {
    for (const entry of changed) {
      await connection.query(
        `REPLACE INTO ${db.table('wp_edge_catalog')} (kind, id, fingerprint) VALUES (?, ?, ?)`,
        [entry.kind, entry.id, entry.fingerprint],
      );
    }
    for (const entry of removed) {
      await connection.query(
        `DELETE FROM ${db.table('wp_edge_catalog')} WHERE kind = ? AND id = ?`,
        [entry.kind, entry.id],
      );
    }
  });
}

/**
 * Publishes the site's URL and WordPress locale, and what changed in the post catalog since the last publish — posts (status,
 * comment status, permalink, whether a password protects them) and comments (post, approved) — a request at a time,
 * remembering each once the edge has it. The database finds the changes, so a large site
 * with few changes costs a few indexed queries. Only the primary's catalog is taken.
 */
export async function publishCatalog(options: {
  db: WordPressDb;
  edge: EdgeClient;
  logger: Logger;
}): Promise<CatalogResult> {
  const { db, edge, logger } = options;
  const [structure, home, siteUrl, wplang] = await Promise.all([
    option(db, 'permalink_structure'),
    option(db, 'home'),
    option(db, 'siteurl'),
    option(db, 'WPLANG'),
  ]);
  // get_locale() on a single site: the WPLANG option, en_US when it is empty.
  const locale = WordPressLocale.safeParse(wplang || 'en_US');
  let sent = 0;
  for (;;) {
    const changes = await nextChanges(db, structure, home);
    const count =
      changes.posts.length +
      changes.removedPosts.length +
      changes.comments.length +
      changes.removedComments.length;
    if (count === 0 && sent > 0) break;
    try {
      await edge.call(AGENT_ROUTES.catalog, {
        siteUrl,
        ...(locale.success ? { locale: locale.data } : {}),
        posts: changes.posts.map((row) => ({
          id: Number(row.ID),
          status: String(row.post_status),
          commentStatus: row.comment_status === 'open' ? ('open' as const) : ('closed' as const),
          permalink: rowPermalink(row, structure, home),
          passwordProtected: Number(row.protected) === 1,
        })),
        comments: changes.comments.map((row) => ({
          id: Number(row.comment_ID),
          postId: Number(row.comment_post_ID),
          approved: String(row.comment_approved),
        })),
        removedPosts: changes.removedPosts.map((row) => Number(row.id)),
        removedComments: changes.removedComments.map((row) => Number(row.id)),
      });
    } catch (error) {
      if (error instanceof EdgeError && error.status === 403) {
        logger.debug('the edge takes the catalog from the primary only; this node is not it');
        return { primary: false, sent };
      }
      throw error;
    }
    await remember(
      db,
      [
        ...changes.posts.map((row) => ({
          kind: 'p' as const,
          id: Number(row.ID),
          fingerprint: String(row.fingerprint),
        })),
        ...changes.comments.map((row) => ({
          kind: 'c' as const,
          id: Number(row.comment_ID),
          fingerprint: String(row.fingerprint),
        })),
      ],
      [
        ...changes.removedPosts.map((row) => ({ kind: 'p' as const, id: Number(row.id) })),
        ...changes.removedComments.map((row) => ({ kind: 'c' as const, id: Number(row.id) })),
      ],
    );
    if (count === 0) break;
    sent += count;
  }
  if (sent > 0) logger.info('catalog published', { sent });
  return { primary: true, sent };
}

/** Every address of some posts' pages (`pageAddresses`): what a change to their comments purges. */
export async function pageAddressesOf(db: WordPressDb, postIds: number[]): Promise<string[]> {
  if (postIds.length === 0) return [];
  const [structure, home] = await Promise.all([
    option(db, 'permalink_structure'),
    option(db, 'home'),
  ]);
  const [rows] = await db.pool.query<RowDataPacket[]>(
    `SELECT ${permalinkColumns()} FROM ${db.table('posts')} WHERE ID IN (?)`,
    [postIds],
  );
  return rows.flatMap((row) => pageAddresses(rowPost(row), structure, home));
}
