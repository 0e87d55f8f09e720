import { AGENT_ROUTES, type Logger, type ViewsSyncConfig } from '@wp-edge/core';
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { inTransaction, type WordPressDb } from '../db/wordpress-db.ts';
import type { EdgeClient } from '../edge/edge-client.ts';

// WordPress's own bookkeeping types, which readers never view.
const INTERNAL_TYPES = [
  'revision',
  'nav_menu_item',
  'custom_css',
  'customize_changeset',
  'oembed_cache',
  'user_request',
  'wp_block',
  'wp_template',
  'wp_template_part',
  'wp_global_styles',
  'wp_navigation',
];

export interface ViewsSyncResult {
  posts: number;
  written: number;
}

async function publishedPosts(db: WordPressDb, afterId: number, limit: number): Promise<number[]> {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    `SELECT ID FROM ${db.table('posts')} WHERE post_status = 'publish' AND post_type NOT IN (?) AND ID > ? ORDER BY ID LIMIT ?`,
    [INTERNAL_TYPES, afterId, limit],
  );
  return rows.map((row) => Number(row.ID));
}

async function currentMeta(
  connection: PoolConnection,
  db: WordPressDb,
  keys: string[],
  ids: number[],
) {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT post_id, meta_key, meta_value FROM ${db.table('postmeta')} WHERE meta_key IN (?) AND post_id IN (?) FOR UPDATE`,
    [keys, ids],
  );
  const meta = new Map<string, string>();
  for (const row of rows) meta.set(`${row.post_id}:${row.meta_key}`, String(row.meta_value));
  return meta;
}

async function upsertMeta(
  connection: PoolConnection,
  db: WordPressDb,
  postId: number,
  key: string,
  value: string,
  exists: boolean,
) {
  if (exists) {
    await connection.query(
      `UPDATE ${db.table('postmeta')} SET meta_value = ? WHERE post_id = ? AND meta_key = ?`,
      [value, postId, key],
    );
  } else {
    await connection.query(
      `INSERT INTO ${db.table('postmeta')} (post_id, meta_key, meta_value) VALUES (?, ?, ?)`,
      [postId, key, value],
    );
  }
}

/** Writes one batch's counts in one transaction: only posts the edge has seen, only what changed. */
async function writeBatch(
  db: WordPressDb,
  metaKey: string,
  counts: Map<number, number>,
): Promise<number> {
  const viewed = [...counts].filter(([, views]) => views > 0);
  if (viewed.length === 0) return 0;
  // The count a post had before the edge counted it, so that moving from a PHP counter
  // (WP-PostViews, Post Views Counter) keeps the old total: meta = base + edge. A leading
  // underscore keeps it out of WordPress's Custom Fields box.
  const baseKey = `_${metaKey}_wp_edge_base`;
  return inTransaction(db, async (connection) => {
    const meta = await currentMeta(
      connection,
      db,
      [metaKey, baseKey],
      viewed.map(([id]) => id),
    );
    let written = 0;
    for (const [postId, views] of viewed) {
      const shown = meta.get(`${postId}:${metaKey}`);
      let base = meta.get(`${postId}:${baseKey}`);
      if (base === undefined) {
        base = String(Number.parseInt(shown ?? '0', 10) || 0);
        await upsertMeta(connection, db, postId, baseKey, base, false);
      }
      const total = String(Number(base) + views);
      if (total !== shown) {
        await upsertMeta(connection, db, postId, metaKey, total, shown !== undefined);
        written++;
      }
    }
    return written;
  });
}

/**
 * Copies the edge's view count (read through the signed agent API) of every published post into post meta, in batches, so
 * themes and "popular posts" widgets that read post meta keep working behind a page cache.
 */
export async function syncViews(options: {
  db: WordPressDb;
  edge: EdgeClient;
  config: ViewsSyncConfig;
  logger: Logger;
  /** Checked between batches: a stop request ends the pass after the batch in hand. */
  stopping?: () => boolean;
}): Promise<ViewsSyncResult> {
  const { db, edge, config, logger } = options;
  const result: ViewsSyncResult = { posts: 0, written: 0 };
  let afterId = 0;
  while (!options.stopping?.()) {
    const ids = await publishedPosts(db, afterId, config.batchSize);
    if (ids.length === 0) break;
    const { posts } = await edge.call(AGENT_ROUTES.views, { posts: ids.join(',') });
    const counts = new Map(Object.entries(posts).map(([id, count]) => [Number(id), count.views]));
    result.written += await writeBatch(db, config.metaKey, counts);
    result.posts += ids.length;
    afterId = ids.at(-1) ?? afterId;
  }
  logger.info('views copied into post meta', { ...result, metaKey: config.metaKey });
  return result;
}
