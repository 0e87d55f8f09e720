import { validate } from '@wp-edge/core';
import { Hono } from 'hono';
import { countPages, siteTotals, topPosts } from '../counting/shards.ts';
import { CountsQuery, pageKey, TopQuery } from '../schemas.ts';
import type { ViewsEnv } from '../site-context.ts';

const CACHEABLE = { 'cache-control': 'public, max-age=5' };

/** Reading counts: per post or path in batches, the most viewed posts, and site totals. */
export const readRoutes = new Hono<ViewsEnv>()
  .get('/', validate('query', CountsQuery), async (c) => {
    const { posts = [], paths = [] } = c.req.valid('query');
    const counts = await countPages(c.env, c.var.site.id, [
      ...posts.map((postId) => pageKey({ postId })),
      ...paths.map((path) => pageKey({ path })),
    ]);
    return c.json(
      {
        posts: Object.fromEntries(posts.map((postId) => [postId, counts[pageKey({ postId })]])),
        paths: Object.fromEntries(paths.map((path) => [path, counts[pageKey({ path })]])),
      },
      200,
      CACHEABLE,
    );
  })
  .get('/top', validate('query', TopQuery), async (c) => {
    const { days, limit } = c.req.valid('query');
    return c.json(
      { days, posts: await topPosts(c.env, c.var.site.id, days, limit) },
      200,
      CACHEABLE,
    );
  })
  .get('/site', async (c) => c.json(await siteTotals(c.env, c.var.site.id), 200, CACHEABLE));
