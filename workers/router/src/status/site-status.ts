import {
  generationTimeMs,
  type NodeStatus,
  type SiteSnapshot,
  type SiteStatus,
} from '@wp-edge/core';
import { catalogPosts, commentLog, comments, nodeCursors, readFigures } from '@wp-edge/core/db';
import { and, count, desc, eq, gt, inArray, min } from 'drizzle-orm';
import { type DrizzleD1Database, drizzle } from 'drizzle-orm/d1';
import { z } from 'zod';
import { registryOf } from '../health/node-registry.ts';

const DAY_MS = 86_400_000;
const EXCERPT_CHARS = 80;

const ViewTotals = z.object({ today: z.object({ views: z.number() }) });
const TopPosts = z.object({ posts: z.array(z.object({ postId: z.number(), views: z.number() })) });

/** Each node's comment-log lag: entries it has yet to apply, and the age of the oldest. */
async function commentLag(
  db: DrizzleD1Database,
  site: SiteSnapshot,
  nowMs: number,
): Promise<Record<string, NodeStatus['lag']>> {
  const cursors = await db
    .select()
    .from(nodeCursors)
    .where(
      inArray(
        nodeCursors.nodeId,
        site.nodes.map((node) => node.id),
      ),
    );
  const lags = await Promise.all(
    cursors.map(async (cursor) => {
      const [row] = await db
        .select({ entries: count(), oldest: min(commentLog.createdAt) })
        .from(commentLog)
        .where(and(eq(commentLog.siteId, site.id), gt(commentLog.seq, cursor.cursor)));
      const oldest = row?.oldest ?? null;
      const seconds = oldest === null ? 0 : Math.round((nowMs - oldest) / 1000);
      return [cursor.nodeId, { entries: row?.entries ?? 0, seconds }] as const;
    }),
  );
  return Object.fromEntries(lags);
}

async function heldComments(
  db: DrizzleD1Database,
  siteId: string,
): Promise<SiteStatus['comments']> {
  const held = and(eq(comments.siteId, siteId), eq(comments.status, 'held'));
  const [[total], latest] = await db.batch([
    db.select({ n: count() }).from(comments).where(held),
    db
      .select({
        postId: comments.postId,
        author: comments.author,
        content: comments.content,
        createdAt: comments.createdAt,
      })
      .from(comments)
      .where(held)
      .orderBy(desc(comments.createdAt))
      .limit(5),
  ]);
  return {
    held: total?.n ?? 0,
    latestHeld: latest.map((row) => ({
      postId: row.postId,
      author: row.author,
      excerpt:
        row.content.length > EXCERPT_CHARS
          ? `${row.content.slice(0, EXCERPT_CHARS)}…`
          : row.content,
      at: new Date(row.createdAt).toISOString(),
    })),
  };
}

/** Views today and the day's top posts from the views Worker, or null when it does not answer. */
async function views(
  env: Env,
  db: DrizzleD1Database,
  site: SiteSnapshot,
): Promise<SiteStatus['views']> {
  const host = site.hosts[0];
  try {
    const [totals, top] = await Promise.all([
      env.VIEWS.fetch(`https://${host}/api/views/site`).then(async (r) =>
        ViewTotals.parse(await r.json()),
      ),
      env.VIEWS.fetch(`https://${host}/api/views/top?days=1&limit=5`).then(async (r) =>
        TopPosts.parse(await r.json()),
      ),
    ]);
    const ids = top.posts.map((post) => post.postId);
    const links =
      ids.length === 0
        ? []
        : await db
            .select({ postId: catalogPosts.postId, permalink: catalogPosts.permalink })
            .from(catalogPosts)
            .where(and(eq(catalogPosts.siteId, site.id), inArray(catalogPosts.postId, ids)));
    return {
      today: totals.today.views,
      top: top.posts.map((post) => ({
        ...post,
        permalink: links.find((link) => link.postId === post.postId)?.permalink ?? null,
      })),
    };
  } catch {
    return null;
  }
}

/** A node's content generation and its age (generation ids start with their UTC time). */
function contentOf(generation: string | undefined, nowMs: number): NodeStatus['content'] {
  if (!generation) return { generation: null, ageSeconds: null };
  const madeAtMs = generationTimeMs(generation);
  return {
    generation,
    ageSeconds: Number.isNaN(madeAtMs) ? null : Math.max(0, Math.round((nowMs - madeAtMs) / 1000)),
  };
}

/** Everything the status page and `wp-edge status` show of a site, as of `nowMs`. */
export async function siteStatus(
  env: Env,
  site: SiteSnapshot,
  nowMs = Date.now(),
): Promise<SiteStatus> {
  const db = drizzle(env.DB);
  const sinceMs = nowMs - DAY_MS;
  const [registry, lags, held, figures, viewFigures] = await Promise.all([
    registryOf(env, site.id).status(sinceMs),
    commentLag(db, site, nowMs),
    heldComments(db, site.id),
    readFigures(db, site.id, sinceMs),
    views(env, db, site),
  ]);
  const nodes: NodeStatus[] = site.nodes.map((node) => {
    const health = registry.health[node.id];
    const report = registry.reports[node.id];
    const lastHeartbeat = health?.lastHeartbeat ?? null;
    return {
      id: node.id,
      role: node.role,
      weight: node.weight,
      up: health?.up ?? true,
      since: health?.since ?? null,
      reason: health?.reason ?? 'no checks yet',
      lastHeartbeat,
      heartbeatAgeSeconds:
        lastHeartbeat === null ? null : Math.round((nowMs - Date.parse(lastHeartbeat)) / 1000),
      lag: lags[node.id] ?? { entries: null, seconds: null },
      quarantined: report?.quarantined ?? null,
      viewsCopiedAt: report?.viewsCopiedAt ?? null,
      content: contentOf(health?.contentGeneration, nowMs),
      changes: registry.changes
        .filter((change) => change.nodeId === node.id)
        .map(({ at, up, reason }) => ({ at, up, reason })),
    };
  });
  return {
    site: site.id,
    generatedAt: new Date(nowMs).toISOString(),
    healthy: nodes.every((node) => node.up),
    nodes,
    alerts: registry.alerts,
    deliveryFailures: registry.deliveryFailures,
    figures: figures.map(({ minute, name, count }) => ({ minute, name, count })),
    comments: held,
    views: viewFigures,
  };
}
