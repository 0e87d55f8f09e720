import type { LegacyWorkerOptions } from 'miniflare';

/**
 * A Worker that answers every GET with one object from the Cache API (`caches.default`), keyed
 * by the request's URL, and stores `page` there as an HTML page on a miss: the ceiling for an
 * edge-cache hit, which cannot be faster than the Cache API's own answer.
 */
export function cacheApiWorker(page: string): LegacyWorkerOptions {
  return {
    name: 'bare-cache-api',
    modules: true,
    compatibilityDate: '2026-10-15',
    bindings: { PAGE: page },
    script: `export default {
  async fetch(request, env) {
    const hit = await caches.default.match(request.url);
    if (hit) return hit;
    const answer = new Response(env.PAGE, {
      headers: { 'content-type': 'text/html; charset=UTF-8', 'cache-control': 'public, max-age=300' },
    });
    await caches.default.put(request.url, answer.clone());
    return answer;
  },
};`,
  };
}

/** The R2 binding of `R2_STREAM_WORKER`, for seeding it through `miniflare.getR2Bucket`. */
export const R2_STREAM_BUCKET = 'BUCKET';

/**
 * A Worker that streams the R2 object named by the request's path (without its leading `/`)
 * with its content type, or answers 404: the ceiling for serving an image's bytes from R2.
 */
export const R2_STREAM_WORKER: LegacyWorkerOptions = {
  name: 'bare-r2-stream',
  modules: true,
  compatibilityDate: '2026-10-15',
  r2Buckets: [R2_STREAM_BUCKET],
  script: `export default {
  async fetch(request, env) {
    const object = await env.${R2_STREAM_BUCKET}.get(decodeURIComponent(new URL(request.url).pathname.slice(1)));
    if (!object) return new Response('no such object', { status: 404 });
    return new Response(object.body, {
      headers: { 'content-type': object.httpMetadata?.contentType ?? 'application/octet-stream', etag: object.httpEtag },
    });
  },
};`,
};
