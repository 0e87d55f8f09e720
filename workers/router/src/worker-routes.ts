import { Hono } from 'hono';

type RouterEnv = { Bindings: Env };

/**
 * The paths other wp-edge Workers own, handed to them over service bindings as they came:
 * the comment form and comments API, the agents' comment log API, page views and the
 * random image API.
 */
export const workerRoutes = new Hono<RouterEnv>()
  .post('/wp-comments-post.php', (c) => c.env.COMMENTS.fetch(c.req.raw))
  .all('/api/comments', (c) => c.env.COMMENTS.fetch(c.req.raw))
  .all('/api/comments/*', (c) => c.env.COMMENTS.fetch(c.req.raw))
  .all('/agent/comments', (c) => c.env.COMMENTS.fetch(c.req.raw))
  .all('/agent/cursor', (c) => c.env.COMMENTS.fetch(c.req.raw))
  .all('/agent/catalog', (c) => c.env.COMMENTS.fetch(c.req.raw))
  .all('/agent/moderation', (c) => c.env.COMMENTS.fetch(c.req.raw))
  .all('/api/views', (c) => c.env.VIEWS.fetch(c.req.raw))
  .all('/api/views/*', (c) => c.env.VIEWS.fetch(c.req.raw))
  .all('/api/random-image', (c) => c.env.IMAGES.fetch(c.req.raw))
  .all('/api/random-image/*', (c) => c.env.IMAGES.fetch(c.req.raw));
