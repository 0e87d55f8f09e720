import { ImageCategory, ProblemError, type SiteVariables, validate } from '@wp-edge/core';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { loadImageSet } from '../image-set.ts';
import { autoOrientation } from '../orientation.ts';
import { pickImage } from '../pick.ts';
import { serveImage } from './serve-image.ts';

type ImagesEnv = { Bindings: Env; Variables: SiteVariables };

const LAST_IMAGE_COOKIE = 'wp_edge_last_image';

const PickQuery = z.object({
  category: ImageCategory.optional(),
  orientation: z
    .enum(['landscape', 'portrait', 'auto'], {
      error: 'orientation must be landscape, portrait or auto',
    })
    .optional(),
  format: z
    .enum(['redirect', 'proxy', 'json'], { error: 'format must be redirect, proxy or json' })
    .default('redirect'),
  seed: z.string().min(1).max(200, { error: 'seed must be at most 200 characters' }).optional(),
});

const NO_STORE = { 'cache-control': 'no-store' };

/** `GET /api/random-image`: one image of the site's set, picked fresh on every request. */
export const pickRoutes = new Hono<ImagesEnv>().get(
  '/',
  validate('query', PickQuery),
  async (c) => {
    const query = c.req.valid('query');
    const { site } = c.var;
    const set = await loadImageSet(c.env.SITE_CONFIG, site.id, (promise) =>
      c.executionCtx.waitUntil(promise),
    );
    if (!set || set.byId.size === 0) {
      throw new ProblemError(
        404,
        `site ${site.id} has no images yet; upload some with: npx wp-edge images sync <folder> --site ${site.id}`,
      );
    }
    if (query.category && !set.categories.includes(query.category)) {
      throw new ProblemError(
        404,
        `there is no image category ${query.category}; the categories are: ${set.categories.join(', ')}`,
      );
    }
    const orientation =
      query.orientation === 'auto' ? autoOrientation(c.req.raw.headers) : query.orientation;
    const pool = set.pools.get(`${query.category ?? '*'}|${orientation ?? '*'}`) ?? [];
    if (pool.length === 0) {
      throw new ProblemError(
        404,
        `there are no ${orientation} images${query.category ? ` in category ${query.category}` : ''}`,
      );
    }
    const image = await pickImage(pool, {
      ...(query.seed !== undefined ? { seed: query.seed } : {}),
      ...(getCookie(c, LAST_IMAGE_COOKIE) ? { lastId: getCookie(c, LAST_IMAGE_COOKIE) } : {}),
    });
    if (query.seed === undefined) {
      setCookie(c, LAST_IMAGE_COOKIE, image.id, {
        path: '/api/random-image',
        maxAge: 86_400,
        sameSite: 'Lax',
        secure: true,
        httpOnly: true,
      });
    }
    const url = new URL(`/api/random-image/i/${image.id}`, c.req.url).href;
    if (query.format === 'json') {
      return c.json(
        { id: image.id, url, width: image.width, height: image.height, category: image.category },
        200,
        NO_STORE,
      );
    }
    if (query.format === 'proxy') {
      const served = await serveImage(c.env.IMAGES_BUCKET, image, c.req.raw.headers);
      for (const [name, value] of c.res.headers)
        if (name === 'set-cookie') served.headers.append(name, value);
      served.headers.set('cache-control', 'no-store');
      return served;
    }
    c.header('cache-control', 'no-store');
    return c.redirect(url, 302);
  },
);
