import { ProblemError, type SiteVariables } from '@wp-edge/core';
import { Hono } from 'hono';
import { loadImageSet } from '../image-set.ts';
import { serveImage } from './serve-image.ts';

/** `GET /api/random-image/i/:id`: an image's stable URL, cacheable forever (the id changes with the bytes). */
export const imageBytesRoutes = new Hono<{ Bindings: Env; Variables: SiteVariables }>().get(
  '/i/:id',
  async (c) => {
    const { site } = c.var;
    const image = (
      await loadImageSet(c.env.SITE_CONFIG, site.id, (promise) => c.executionCtx.waitUntil(promise))
    )?.byId.get(c.req.param('id'));
    if (!image) throw new ProblemError(404, `there is no image ${c.req.param('id')}`);
    return serveImage(c.env.IMAGES_BUCKET, image, c.req.raw.headers);
  },
);
