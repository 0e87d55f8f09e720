import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, ViewsSyncConfig } from '@wp-edge/core';
import type { RunningWorkers } from '@wp-edge/workerd-kit';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { edgeClient } from '../src/edge/edge-client.ts';
import { syncViews } from '../src/views/views-sync.ts';
import { startAgent, writeAgentConfig } from './support/agent-process.ts';
import { SECONDARY_KEY, startEdge } from './support/edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const quiet = createLogger({}, { write: () => {} });

let wordpress: TestWordPress;
let db: WordPressDb;
let edge: RunningWorkers;
let visitor = 0;
const SITE_HOST = 'views.example';

beforeAll(async () => {
  [wordpress, edge] = await Promise.all([
    createTestWordPress({ tablePrefix: 'blog_', posts: 250 }),
    // The site's own host is not the address the agent reaches the edge by, as in production.
    startEdge([SITE_HOST]),
  ]);
  db = connectWordPress(wordpress.database);
});

afterAll(async () => {
  await db?.close();
  await wordpress?.drop();
  await edge?.dispose();
});

async function view(postId: number, times: number) {
  for (let i = 0; i < times; i++) {
    visitor++;
    const response = await edge.miniflare.dispatchFetch(`http://${SITE_HOST}/api/views`, {
      method: 'POST',
      body: JSON.stringify({ postId }),
      headers: {
        'user-agent': BROWSER,
        'cf-connecting-ip': `10.1.${visitor >> 8}.${visitor & 255}`,
      },
    });
    expect(await response.json()).toEqual({ counted: true });
  }
}

async function meta(postId: number, key: string): Promise<string[]> {
  const [rows] = await db.pool.query<RowDataPacket[]>(
    'SELECT meta_value FROM blog_postmeta WHERE post_id = ? AND meta_key = ?',
    [postId, key],
  );
  return rows.map((row) => String(row.meta_value));
}

const sync = (config: Partial<ViewsSyncConfig> = {}, edgeUrl = edge.url.href) =>
  syncViews({
    db,
    edge: edgeClient({ edgeUrl, ...SECONDARY_KEY }),
    config: ViewsSyncConfig.parse(config),
    logger: quiet,
  });

describe('copying view counts into post meta', () => {
  it('gives every published post its edge count, batch after batch, under the views key', async () => {
    const last = wordpress.postIds.at(-1) ?? 0;
    await view(1, 3);
    await view(2, 1);
    await view(last, 2);
    const result = await sync();
    expect(result.posts).toBe(252);
    expect(await meta(1, 'views')).toEqual(['3']);
    expect(await meta(2, 'views')).toEqual(['1']);
    expect(await meta(last, 'views')).toEqual(['2']);
    expect(await meta(wordpress.postIds[0] ?? 0, 'views')).toEqual([]);
  });

  it('keeps the count a PHP counter left and adds the edge’s views on top', async () => {
    const post = wordpress.postIds[10] ?? 0;
    await db.pool.query(
      "INSERT INTO blog_postmeta (post_id, meta_key, meta_value) VALUES (?, 'views', '500')",
      [post],
    );
    await view(post, 2);
    await sync();
    expect(await meta(post, 'views')).toEqual(['502']);
    await view(post, 1);
    await sync();
    expect(await meta(post, 'views')).toEqual(['503']);
    expect(await meta(post, '_views_wp_edge_base')).toEqual(['500']);
  });

  it('writes nothing when no count changed', async () => {
    await sync();
    expect((await sync()).written).toBe(0);
  });

  it('writes under the meta key the config names', async () => {
    const post = wordpress.postIds[20] ?? 0;
    await view(post, 4);
    await sync({ metaKey: 'post_views_count' });
    expect(await meta(post, 'post_views_count')).toEqual(['4']);
  });

  it('fails without touching the database when the edge cannot be reached', async () => {
    const post = wordpress.postIds[30] ?? 0;
    await view(post, 1);
    await expect(sync({}, 'http://127.0.0.1:9')).rejects.toThrow();
    expect(await meta(post, 'views')).toEqual([]);
  });
});

describe('wp-edge-agent sync-views', () => {
  it('copies the counts into post meta once through the signed agent API, and exits 0', async () => {
    const post = wordpress.postIds[40] ?? 0;
    await view(post, 3);
    const dir = await mkdtemp(path.join(tmpdir(), 'agent-views-'));
    try {
      const configFile = await writeAgentConfig(dir, edge.url.href, wordpress);
      const agent = startAgent(configFile, 'sync-views');
      expect(await agent.exited).toBe(0);
      expect(await meta(post, 'views')).toEqual(['3']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
