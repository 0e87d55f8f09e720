import { AGENT_ROUTES } from '@wp-edge/core';
import { addNode, bindingStore, createSite } from '@wp-edge/core/provision';
import {
  applyMigrations,
  type RunningWorkers,
  runWorkers,
  workerOptions,
} from '@wp-edge/workerd-kit';
import { edgeClient } from '../../src/edge/edge-client.ts';

export const PRIMARY_KEY = { keyId: 'agent-a-key', secret: 'a'.repeat(64) };
export const SECONDARY_KEY = { keyId: 'agent-b-key', secret: 'b'.repeat(64) };
const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** What a test changes in the edge: Akismet's address (a stand-in), the site's comment settings. */
export interface EdgeOptions {
  akismetUrl?: string;
  comments?: Record<string, unknown>;
}

/**
 * The edge in workerd as deployed (the router in front, the comments, views, images and sync
 * Workers behind it) with site `agent` answering to `hosts`, and a primary and a secondary node with keys.
 */
export async function startEdge(
  hosts: string[],
  options: EdgeOptions = {},
): Promise<RunningWorkers> {
  const comments = await workerOptions('comments');
  if (options.akismetUrl)
    comments.bindings = { ...comments.bindings, AKISMET_API_URL: options.akismetUrl };
  const edge = await runWorkers([
    await workerOptions('router'),
    comments,
    ...(await Promise.all([
      workerOptions('views'),
      workerOptions('images'),
      workerOptions('sync'),
    ])),
  ]);
  const db = await edge.miniflare.getD1Database('DB');
  await applyMigrations(db);
  const store = bindingStore(db, await edge.miniflare.getKVNamespace('SITE_CONFIG'));
  await createSite(store, {
    id: 'agent',
    hosts,
    settings: {
      comments: {
        moderation: 'auto',
        floodIntervalSeconds: 0,
        rateLimitCount: 0,
        ...options.comments,
      },
    },
  });
  await addNode(
    store,
    'agent',
    { id: 'agent-a', originUrl: 'http://127.0.0.2', role: 'primary' },
    { key: PRIMARY_KEY },
  );
  await addNode(
    store,
    'agent',
    { id: 'agent-b', originUrl: 'http://127.0.0.3' },
    { key: SECONDARY_KEY },
  );
  return edge;
}

/**
 * The edge with the site answering to 127.0.0.1 (the address the edge listens on) and a
 * catalog with WordPress's post 1 open for comments.
 */
export async function startCommentsEdge(options: EdgeOptions = {}): Promise<
  RunningWorkers & {
    postComment(
      fields: Record<string, string>,
      headers?: Record<string, string>,
    ): Promise<Response>;
  }
> {
  const edge = await startEdge(['127.0.0.1'], options);
  await edgeClient({ edgeUrl: edge.url.href, ...PRIMARY_KEY }).call(AGENT_ROUTES.catalog, {
    siteUrl: 'http://127.0.0.1',
    posts: [
      { id: 1, status: 'publish', commentStatus: 'open', permalink: 'http://127.0.0.1/?p=1' },
    ],
    comments: [{ id: 1, postId: 1, approved: '1' }],
  });
  let address = 0;
  return {
    ...edge,
    postComment(fields, headers = {}) {
      address++;
      return fetch(new URL('/wp-comments-post.php', edge.url), {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({
          comment_post_ID: '1',
          author: 'Ann',
          email: 'ann@example.com',
          comment: `Hello ${address}`,
          ...fields,
        }),
        headers: {
          'user-agent': BROWSER,
          'cf-connecting-ip': `10.2.${address >> 8}.${address & 255}`,
          ...headers,
        },
      });
    },
  };
}

/**
 * Puts `count` approved comments straight into the edge's log, as intake would: on post 1,
 * or the i-th on `postOf(i)`. One statement for them all: Miniflare's D1 proxy drops the
 * connection on batches of a few hundred, and batches of fewer take minutes on a busy machine.
 */
export async function seedComments(
  edge: RunningWorkers,
  count: number,
  postOf: (i: number) => number = () => 1,
  /** The number of the first comment: seeding again from another number adds new comments. */
  first = 0,
): Promise<void> {
  const db = await edge.miniflare.getD1Database('DB');
  const now = Date.now();
  const postIds = Array.from({ length: count }, (_, i) => postOf(i));
  await db
    .prepare(
      `INSERT INTO comment_log (site_id, comment_id, type, payload, created_at)
       SELECT 'agent', 'SEED' || printf('%022d', n), 'created', json_object(
         'id', 'SEED' || printf('%022d', n), 'postId', value, 'parentWpId', 0,
         'author', 'Reader ' || n, 'authorEmail', 'reader' || n || '@example.com',
         'authorUrl', '', 'content', 'Seeded comment ' || n, 'authorIp', '10.3.0.1',
         'userAgent', 'Mozilla/5.0', 'status', 'approved', 'createdAt', ?2), ?3
       FROM (SELECT key + ?4 AS n, value FROM json_each(?1)) ORDER BY n`,
    )
    .bind(JSON.stringify(postIds), new Date(now).toISOString(), now, first)
    .run();
}
