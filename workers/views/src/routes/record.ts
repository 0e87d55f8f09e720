import { ProblemError, validate, validationProblem } from '@wp-edge/core';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { shardOf } from '../counting/shards.ts';
import { reasonToIgnore } from '../counting/view-filter.ts';
import { identifyVisitor } from '../counting/visitor.ts';
import { Beacon, PixelQuery, pageKey } from '../schemas.ts';
import type { ViewsEnv } from '../site-context.ts';

const MAX_BEACON_BYTES = 1024;

// A transparent 1×1 GIF.
const PIXEL = Uint8Array.from(
  atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'),
  (c) => c.charCodeAt(0),
);

type Outcome = { counted: true } | { counted: false; reason: string };

async function record(c: Context<ViewsEnv>, page: string): Promise<Outcome> {
  const reason = reasonToIgnore(c.req.raw, c.var.site);
  if (reason) return { counted: false, reason };
  const visitor = await identifyVisitor(c.env, c.req.raw, c.var.site.id);
  await shardOf(c.env, c.var.site.id, visitor.shard).recordView(page, visitor.hash);
  return { counted: true };
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
      return c.json(await record(c, pageKey(beacon)), 202, { 'cache-control': 'no-store' });
    },
  )
  .get('/pixel.gif', validate('query', PixelQuery), async (c) => {
    const query = c.req.valid('query');
    const outcome = await record(c, pageKey({ postId: query.post, path: query.path }));
    return c.body(PIXEL, 200, {
      'content-type': 'image/gif',
      'cache-control': 'no-store',
      'x-wp-edge-view': outcome.counted ? 'counted' : `ignored: ${outcome.reason}`,
    });
  });
