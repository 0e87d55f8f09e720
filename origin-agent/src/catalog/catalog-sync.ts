import type { Logger } from '@wp-edge/core';
import { MAX_CATALOG_ITEMS } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import { inTransaction, type WordPressDb } from '../db/wordpress-db.ts';
import { type EdgeClient, EdgeError } from '../edge/edge-client.ts';
import { permalink } from './permalinks.ts';

// Posts that never take comments or are not content: WordPress's bookkeeping statuses.
const SKIPPED_STATUSES = ['auto-draft', 'inherit', 'trash'];

type Kind = 'p' | 'c';
type Entry = { kind: Kind; id: number; fingerprint: string; item: Record<string, unknown> };

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

/** The permalink of a `wp_posts` row (ID, post_type, post_name, post_date_gmt, post_parent). */
function rowPermalink(row: RowDataPacket, structure: string, home: string): string {
  return permalink(
    {
      id: Number(row.ID),
      type: String(row.post_type),
      name: String(row.post_name),
      date: new Date(`${row.post_date_gmt}Z`),
      parentId: Number(row.post_parent),
    },
    structure,
    home,
  );
}

async function currentEntries(db: WordPressDb): Promise<Entry[]> {
  const [structure, home] = await Promise.all([
    option(db, 'permalink_structure'),
    option(db, 'home'),
  ]);
  const [posts] = await db.pool.query<RowDataPacket[]>(
    `SELECT ID, post_type, post_status, comment_status, post_name, post_date_gmt, post_parent FROM ${db.table('posts')} WHERE post_status NOT IN (?)`,
    [SKIPPED_STATUSES],
  );
  const [comments] = await db.pool.query<RowDataPacket[]>(
    `SELECT comment_ID, comment_post_ID, comment_approved FROM ${db.table('comments')}`,
  );
  return [
    ...posts.map((row) => {
      const item = {
        id: Number(row.ID),
        status: String(row.post_status),
        commentStatus: row.comment_status === 'open' ? 'open' : 'closed',
        permalink: rowPermalink(row, structure, home),
      };
      return {
        kind: 'p' as const,
        id: item.id,
        fingerprint: `${item.status}|${item.commentStatus}|${item.permalink}`,
        item,
      };
    }),
    ...comments.map((row) => {
      const item = {
        id: Number(row.comment_ID),
        postId: Number(row.comment_post_ID),
        approved: String(row.comment_approved),
      };
      return {
        kind: 'c' as const,
        id: item.id,
        fingerprint: `${item.postId}|${item.approved}`,
        item,
      };
    }),
  ];
}

async function publishedEntries(db: WordPressDb): Promise<Map<string, string>> {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    `SELECT kind, id, fingerprint FROM ${db.table('wp_edge_catalog')}`,
  );
  return new Map(rows.map((row) => [`${row.kind}:${row.id}`, String(row.fingerprint)]));
}

async function remember(
  db: WordPressDb,
  changed: Entry[],
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
 * Publishes what changed in the post catalog since the last publish — posts (status,
 * comment status, permalink) and comments (post, approved) — in chunks the edge accepts,
 * remembering each chunk once the edge has it. Only the primary's catalog is taken.
 */
export async function publishCatalog(options: {
  db: WordPressDb;
  edge: EdgeClient;
  logger: Logger;
}): Promise<CatalogResult> {
  const { db, edge, logger } = options;
  const [current, published, siteUrl] = await Promise.all([
    currentEntries(db),
    publishedEntries(db),
    option(db, 'siteurl'),
  ]);
  const changed = current.filter(
    (entry) => published.get(`${entry.kind}:${entry.id}`) !== entry.fingerprint,
  );
  const present = new Set(current.map((entry) => `${entry.kind}:${entry.id}`));
  const removed = [...published.keys()]
    .filter((key) => !present.has(key))
    .map((key) => ({ kind: key.slice(0, 1) as Kind, id: Number(key.slice(2)) }));
  const work: (Entry | { kind: Kind; id: number; removed: true })[] = [
    ...changed,
    ...removed.map((entry) => ({ ...entry, removed: true as const })),
  ];
  let sent = 0;
  for (let start = 0; start === 0 || start < work.length; start += MAX_CATALOG_ITEMS) {
    const part = work.slice(start, start + MAX_CATALOG_ITEMS);
    const partChanged = part.filter((entry): entry is Entry => !('removed' in entry));
    const partRemoved = part.filter((entry) => 'removed' in entry);
    try {
      await edge.post('/agent/catalog', {
        siteUrl,
        posts: partChanged.filter((entry) => entry.kind === 'p').map((entry) => entry.item),
        comments: partChanged.filter((entry) => entry.kind === 'c').map((entry) => entry.item),
        removedPosts: partRemoved.filter((entry) => entry.kind === 'p').map((entry) => entry.id),
        removedComments: partRemoved.filter((entry) => entry.kind === 'c').map((entry) => entry.id),
      });
    } catch (error) {
      if (error instanceof EdgeError && error.status === 403) {
        logger.debug('the edge takes the catalog from the primary only; this node is not it');
        return { primary: false, sent };
      }
      throw error;
    }
    await remember(db, partChanged, partRemoved);
    sent += part.length;
  }
  if (sent > 0) logger.info('catalog published', { sent });
  return { primary: true, sent };
}

/** The permalinks of some posts, as the catalog publishes them. */
export async function permalinksOf(db: WordPressDb, postIds: number[]): Promise<string[]> {
  if (postIds.length === 0) return [];
  const [structure, home] = await Promise.all([
    option(db, 'permalink_structure'),
    option(db, 'home'),
  ]);
  const [rows] = await db.pool.query<RowDataPacket[]>(
    `SELECT ID, post_type, post_name, post_date_gmt, post_parent FROM ${db.table('posts')} WHERE ID IN (?)`,
    [postIds],
  );
  return rows.map((row) => rowPermalink(row, structure, home));
}
