import {
  CatalogUpdate,
  CursorReport,
  ModerationReport,
  NativeCommentsReport,
  validate,
} from '@wp-edge/core';
import { commentLocations, commentLog, nodeCursors, requireNodeSignature } from '@wp-edge/core/db';
import { and, count, eq, gt } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { Hono } from 'hono';
import { z } from 'zod';
import { applyCatalog } from '../agent/catalog.ts';
import { readLog } from '../agent/comment-pull.ts';
import { applyModeration } from '../agent/moderation.ts';
import { logNativeComments } from '../agent/native-comments.ts';
import { sendAkismetVerdicts } from '../akismet/owner-verdicts.ts';
import { feedOf } from '../feed/comment-feed.ts';
import { refuse } from '../intake/refusal.ts';

const PullQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0, { error: 'after must be a log position (0 or more)' })
    .default(0),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000, { error: 'limit must be between 1 and 1000' })
    .default(100),
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(60, { error: 'wait must be between 0 and 60 seconds' })
    .default(0),
});

const primaryOnly = (role: string, what: string) => {
  if (role !== 'primary')
    throw refuse(403, 'not-primary', `only the site's primary node may send ${what}`);
};

/** The agent API: every route needs a request signed with a node key; a node sees only its site. */
export const agentRoutes = new Hono<{ Bindings: Env }>()
  .use(requireNodeSignature())
  .get('/comments', validate('query', PullQuery), async (c) => {
    const { after, limit, wait } = c.req.valid('query');
    const { nodeId, siteId } = c.var.agentKey;
    const db = drizzle(c.env.DB);
    let { page, prunedThrough } = await readLog(db, siteId, after, limit);
    if (after < prunedThrough)
      throw refuse(
        410,
        'pruned',
        `node ${nodeId} asks for the comment log after ${after}, but entries up to ${prunedThrough} were pruned (every node had applied them); copy the primary's database to this node, its cursor comes with it`,
      );
    if (page.events.length === 0 && wait > 0) {
      const newer = await feedOf(c.env, siteId).waitBeyond(after, wait * 1000);
      if (newer > after) ({ page } = await readLog(db, siteId, after, limit));
    }
    return c.json(page, 200, { 'cache-control': 'no-store' });
  })
  .post('/cursor', validate('json', CursorReport), async (c) => {
    const { cursor, applied } = c.req.valid('json');
    const { nodeId, siteId } = c.var.agentKey;
    const db = drizzle(c.env.DB);
    const now = Date.now();
    const locations = applied.map(({ commentId, wpId }) =>
      db
        .insert(commentLocations)
        .values({ nodeId, wpId, commentId })
        .onConflictDoUpdate({
          target: [commentLocations.nodeId, commentLocations.wpId],
          set: { commentId },
        }),
    );
    const [behind] = await db.batch([
      db
        .select({ n: count() })
        .from(commentLog)
        .where(and(eq(commentLog.siteId, siteId), gt(commentLog.seq, cursor))),
      db
        .insert(nodeCursors)
        .values({ nodeId, siteId, cursor, reportedAt: now })
        .onConflictDoUpdate({ target: nodeCursors.nodeId, set: { cursor, reportedAt: now } }),
      ...locations,
    ]);
    return c.json({ cursor, lag: behind[0]?.n ?? 0 });
  })
  .post('/catalog', validate('json', CatalogUpdate), async (c) => {
    primaryOnly(c.var.agentKey.role, 'the catalog');
    const applied = await applyCatalog(
      drizzle(c.env.DB),
      c.var.agentKey.siteId,
      c.req.valid('json'),
      Date.now(),
    );
    return c.json(applied);
  })
  .post('/native-comments', validate('json', NativeCommentsReport), async (c) => {
    primaryOnly(c.var.agentKey.role, 'native comments');
    const { siteId, nodeId } = c.var.agentKey;
    const { logged, head } = await logNativeComments(
      drizzle(c.env.DB),
      { siteId, nodeId },
      c.req.valid('json'),
      Date.now(),
    );
    c.executionCtx.waitUntil(feedOf(c.env, siteId).announce(head));
    return c.json({ logged });
  })
  .post('/moderation', validate('json', ModerationReport), async (c) => {
    primaryOnly(c.var.agentKey.role, 'moderation');
    const { siteId } = c.var.agentKey;
    const result = await applyModeration(
      drizzle(c.env.DB),
      siteId,
      c.req.valid('json'),
      Date.now(),
    );
    c.executionCtx.waitUntil(feedOf(c.env, siteId).announce(result.head));
    c.executionCtx.waitUntil(
      sendAkismetVerdicts(c.env.AKISMET_API_URL, drizzle(c.env.DB), siteId, result.statusChanges),
    );
    const { statusChanges: _, ...answer } = result;
    return c.json(answer);
  });
