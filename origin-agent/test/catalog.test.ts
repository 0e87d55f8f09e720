import { createLogger } from '@wp-edge/core';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCatalogTable,
  pageAddressesOf,
  publishCatalog,
} from '../src/catalog/catalog-sync.ts';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { edgeClient } from '../src/edge/edge-client.ts';
import { PRIMARY_KEY, SECONDARY_KEY, startCommentsEdge } from './support/edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

const quiet = createLogger({}, { write: () => {} });
let edge: Awaited<ReturnType<typeof startCommentsEdge>>;
let wordpress: TestWordPress;
let db: WordPressDb;

beforeAll(async () => {
  [edge, wordpress] = await Promise.all([startCommentsEdge(), createTestWordPress({ posts: 2 })]);
  db = connectWordPress(wordpress.database);
  await ensureCatalogTable(db);
  await db.pool.query(
    "UPDATE wp_options SET option_value = '/%postname%/' WHERE option_name = 'permalink_structure'",
  );
});

afterAll(async () => {
  await db?.close();
  await wordpress?.drop();
  await edge?.dispose();
});

const publish = (key = PRIMARY_KEY) =>
  publishCatalog({ db, edge: edgeClient({ edgeUrl: edge.url.href, ...key }), logger: quiet });

describe('publishing the post catalog', () => {
  it('sends the primary’s posts and comments, then only what changed', async () => {
    const first = await publish();
    expect(first.primary).toBe(true);
    // Hello world!, Sample Page, Privacy Policy (a draft), two posts, and the sample comment.
    expect(first.sent).toBe(6);
    expect((await publish()).sent).toBe(0);
    const comment = await edge.postComment({ comment_post_ID: String(wordpress.postIds[0]) });
    expect(comment.status).toBe(302);
    // The post's path as published, on the host the reader used.
    expect(new URL(comment.headers.get('location') ?? '').pathname).toBe('/post-1/');
  });

  it.each([
    ['de_DE', 'de_DE'],
    ['', 'en_US'],
  ])(
    'publishes WordPress’s locale (WPLANG %j) as get_locale() gives it: %s',
    async (wplang, locale) => {
      await db.pool.query(
        "INSERT INTO wp_options (option_name, option_value, autoload) VALUES ('WPLANG', ?, 'yes') ON DUPLICATE KEY UPDATE option_value = VALUES(option_value)",
        [wplang],
      );
      await publish();
      const d1 = await edge.miniflare.getD1Database('DB');
      const row = await d1
        .prepare("SELECT locale FROM catalog_sites WHERE site_id = 'agent'")
        .first<{ locale: string }>();
      expect(row?.locale).toBe(locale);
    },
  );

  it('closes a post at the edge when the owner closes it in WordPress', async () => {
    await publish();
    const post = wordpress.postIds[1] ?? 0;
    await db.pool.query("UPDATE wp_posts SET comment_status = 'closed' WHERE ID = ?", [post]);
    expect((await publish()).sent).toBe(1);
    expect((await edge.postComment({ comment_post_ID: String(post) })).status).toBe(403);
  });

  it('holds comments at the edge on a post the owner protects with a password', async () => {
    await publish();
    const post = wordpress.postIds[1] ?? 0;
    await db.pool.query(
      "UPDATE wp_posts SET post_password = 'secret', comment_status = 'open' WHERE ID = ?",
      [post],
    );
    try {
      expect((await publish()).sent).toBe(1);
      const refused = await edge.postComment({ comment_post_ID: String(post) });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('This post is password protected.');
      const held = await edge.postComment(
        { comment_post_ID: String(post) },
        { cookie: 'wp-postpass_0123456789abcdef=%24P%24Bhash' },
      );
      expect(held.status).toBe(302);
      expect(
        new URL(held.headers.get('location') ?? '', 'http://127.0.0.1').searchParams.get(
          'wp_edge_status',
        ),
      ).toBe('held');
    } finally {
      await db.pool.query("UPDATE wp_posts SET post_password = '' WHERE ID = ?", [post]);
    }
  });

  it('removes a deleted post from the edge', async () => {
    await publish();
    const post = wordpress.postIds[0] ?? 0;
    await db.pool.query("UPDATE wp_posts SET post_status = 'trash' WHERE ID = ?", [post]);
    expect((await publish()).sent).toBe(1);
    expect((await edge.postComment({ comment_post_ID: String(post) })).status).toBe(404);
  });

  it('is not taken from a secondary, which then stands aside without an error', async () => {
    await db.pool.query('DELETE FROM wp_wp_edge_catalog');
    expect(await publish(SECONDARY_KEY)).toEqual({ primary: false, sent: 0 });
  });

  it('publishes a catalog larger than one request, a request at a time', async () => {
    await publish();
    await db.pool.query(
      `INSERT INTO wp_posts (post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, comment_status, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, post_type)
       SELECT 1, NOW(), UTC_TIMESTAMP(), '', CONCAT('Bulk ', seq), '', 'publish', 'open', CONCAT('bulk-', seq), '', '', NOW(), UTC_TIMESTAMP(), '', 'post' FROM seq_1_to_1200`,
    );
    const [rows] = await db.pool.query<RowDataPacket[]>(
      "SELECT MAX(ID) AS id FROM wp_posts WHERE post_name LIKE 'bulk-%'",
    );
    expect((await publish()).sent).toBe(1_200);
    expect((await publish()).sent).toBe(0);
    const comment = await edge.postComment({ comment_post_ID: String(rows[0]?.id) });
    expect(comment.status).toBe(302);
  });

  it('dates permalinks in the site’s own time zone, as WordPress does', async () => {
    const post = wordpress.postIds[1] ?? 0;
    const structure = '/%year%/%monthnum%/%day%/%postname%/';
    await db.pool.query(
      "UPDATE wp_options SET option_value = ? WHERE option_name = 'permalink_structure'",
      [structure],
    );
    await db.pool.query(
      "UPDATE wp_options SET option_value = 'Europe/Berlin' WHERE option_name = 'timezone_string'",
    );
    await db.pool.query(
      "UPDATE wp_posts SET post_date = '2026-01-01 00:30:00', post_date_gmt = '2025-12-31 23:30:00', comment_status = 'open' WHERE ID = ?",
      [post],
    );
    try {
      const expected = await wordpress.permalinks([post]);
      expect(expected[post]).toBe('http://127.0.0.1/2026/01/01/post-2/');
      // A change to its comments purges the page at its permalink, and at its shortlink, which
      // WordPress serves too.
      expect(await pageAddressesOf(db, [post])).toEqual([
        expected[post],
        `http://127.0.0.1/?p=${post}`,
      ]);
      expect((await publish()).sent).toBeGreaterThan(0);
      const comment = await edge.postComment({ comment_post_ID: String(post) });
      expect(new URL(comment.headers.get('location') ?? '').pathname).toBe('/2026/01/01/post-2/');
    } finally {
      await db.pool.query(
        "UPDATE wp_options SET option_value = '/%postname%/' WHERE option_name = 'permalink_structure'",
      );
      await db.pool.query(
        "UPDATE wp_options SET option_value = '' WHERE option_name = 'timezone_string'",
      );
    }
  });
});
