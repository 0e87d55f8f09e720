import { ProblemError, validate, validationProblem } from '@wp-edge/core';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { knownPosts } from '../counting/known-posts.ts';
import { shardOf } from '../counting/shards.ts';
import { reasonToIgnore } from '../counting/view-filter.ts';
import { identifyVisitor } from '../counting/visitor.ts';
import { Beacon, type Page, PixelQuery, pageKey } from '../schemas.ts';
import type { ViewsEnv } from '../site-context.ts';

const MAX_BEACON_BYTES = 1024;

// A transparent 1×1 GIF.
const PIXEL = Uint8Array.from(
  atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'),
  (c) => c.charCodeAt(0),
);

type Outcome = { counted: true } | { counted: false; reason: string };

/** The cap on pages the catalog does not vouch for, or undefined for a post it knows (404 for one it does not). */
async function capFor(c: Context<ViewsEnv>, page: Page, nowMs: number) {
  const { maxPaths } = c.var.site.settings.views;
  if (page.postId === undefined) return maxPaths;
  const posts = await knownPosts(c.env, c.var.site.id, nowMs);
  if (posts === undefined) return maxPaths;
  if (!posts.has(page.postId))
    throw new ProblemError(404, `post ${page.postId} is not a published post of this site`);
  return undefined;
}

async function record(c: Context<ViewsEnv>, page: Page): Promise<Outcome> {
  const reason = reasonToIgnore(c.req.raw, c.var.site);
  if (reason) return { counted: false, reason };
  const nowMs = Date.now();
  const maxUnvouchedPages = await capFor(c, page, nowMs);
  const visitor = await identifyVisitor(c.env, c.req.raw, c.var.site.id);
  const outcome = await shardOf(c.env, c.var.site.id, visitor.shard).recordView(
    pageKey(page),
    visitor.hash,
    nowMs,
    {
      windowMs: c.var.site.settings.views.windowMinutes * 60_000,
      address: visitor.address,
      ...(maxUnvouchedPages === undefined ? {} : { maxUnvouchedPages }),
    },
  );
  if (outcome === 'too-many-views')
    throw new ProblemError(429, 'too many views from your address; try again in a minute', {
      headers: { 'retry-after': '60' },
    });
  return outcome === 'counted' ? { counted: true } : { counted: false, reason: outcome };
}

async function readBeacon(request: Request): Promise<Beacon> {
  const text = await request.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProblemError(400, 'the beacon body must be JSON such as {"postId":123}');
  }
  const parsed = Beacon.safeParse(json);
  if (!parsed.success) throw validationProblem(parsed.error, 'beacon');
  return parsed.data;
}

/**
 * Recording views: the beacon the client script sends (any content type, as sendBeacon
 * sends text/plain) and a pixel for pages without JavaScript.
 */
export const recordRoutes = new Hono<ViewsEnv>()
  .post(
    '/',
    bodyLimit({
      maxSize: MAX_BEACON_BYTES,
      onError: () => {
        throw new ProblemError(413, `a beacon must be at most ${MAX_BEACON_BYTES} bytes`);
      },
    }),
    async (c) => {
      const beacon = await readBeacon(c.req.raw);
      return c.json(await record(c, beacon), 202, { 'cache-control': 'no-store' });
    },
  )
  .get('/pixel.gif', validate('query', PixelQuery), async (c) => {
    const query = c.req.valid('query');
    const outcome = await record(c, { postId: query.post, path: query.path });
    return c.body(PIXEL, 200, {
      'content-type': 'image/gif',
      'cache-control': 'no-store',
      'x-wp-edge-view': outcome.counted ? 'counted' : `ignored: ${outcome.reason}`,
    });
  });
