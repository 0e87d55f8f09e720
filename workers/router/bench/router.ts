// The router in workerd driven through the Miniflare API, in front of a real HTTP origin on
// loopback, each load measured in turns with a bare Worker running beside it (the ratio is the
// figure): uncached reads against a bare pass-through Worker and against one that also marks the
// comment form as the router does, and edge-cache hits against a bare Worker answering the same
// page from the Cache API. The page is a post with WordPress's comment form.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RENDERED_BY_FIELD, SiteSettings } from '@wp-edge/core';
import {
  cacheApiWorker,
  type Figure,
  measureInTurns,
  percentOf,
  recordFigures,
  turnFigures,
  withWorkers,
  workerOptions,
} from '@wp-edge/workerd-kit';

const page = (path: string | undefined) =>
  `<!doctype html><title>Post</title><p>${path}</p><form action="/wp-comments-post.php" method="post" id="commentform"><textarea name="comment"></textarea><input type="hidden" name="comment_post_ID" value="1"></form>`;
const origin = createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
  response.end(page(request.url));
});
await new Promise<void>((resolve) => origin.listen(0, '127.0.0.2', resolve));
const originUrl = `http://127.0.0.2:${(origin.address() as AddressInfo).port}`;

const PASS_THROUGH = {
  name: 'pass-through',
  modules: true,
  compatibilityDate: '2026-10-15',
  script: `export default { fetch(request) { const url = new URL(request.url); return fetch('${originUrl}' + url.pathname + url.search); } };`,
};

// The same pass-through with the one change the router makes to every HTML page it passes on:
// the rendering node's id added to the comment form (`mark-comment-forms.ts`), through the
// same HTMLRewriter. What an uncached read through the router can at best come to.
const REWRITING_PASS_THROUGH = {
  name: 'rewriting-pass-through',
  modules: true,
  compatibilityDate: '2026-10-15',
  script: `export default { async fetch(request) {
    const url = new URL(request.url);
    const response = await fetch('${originUrl}' + url.pathname + url.search);
    return new HTMLRewriter().on('form[action$="wp-comments-post.php"]', {
      element(form) { form.append('<input type="hidden" name="${RENDERED_BY_FIELD}" value="a">', { html: true }); },
    }).transform(response);
  } };`,
};

const figures: Record<string, Figure> = {};
try {
  const workers = await Promise.all(
    (['router', 'comments', 'views', 'images', 'sync'] as const).map(workerOptions),
  );
  await withWorkers([PASS_THROUGH], (passThrough) =>
    withWorkers([REWRITING_PASS_THROUGH], (rewriting) =>
      withWorkers([cacheApiWorker(page('/hello-world/'))], (bareCache) =>
        withWorkers(workers, async (edge) => {
          const kv = await edge.miniflare.getKVNamespace('SITE_CONFIG', 'wp-edge-router');
          const nodes = [{ id: 'a', originUrl, role: 'primary', weight: 100 }];
          await kv.put(
            'host:127.0.0.1',
            JSON.stringify({
              id: 'bench',
              hosts: ['127.0.0.1'],
              settings: SiteSettings.parse({}),
              nodes,
              publishedAt: new Date().toISOString(),
            }),
          );
          const hello = new URL('/hello-world/', edge.url).href;
          await (await fetch(hello)).arrayBuffer();
          const second = await fetch(hello);
          await second.arrayBuffer();
          if (second.headers.get('x-wp-edge-cache') !== 'HIT')
            throw new Error(
              `the cache-hit load would not measure hits: the second GET was ${second.headers.get('x-wp-edge-cache')}`,
            );
          const bareCacheUrl = new URL('/hello-world/', bareCache.url).href;
          await (await fetch(bareCacheUrl)).arrayBuffer();
          const loads = await measureInTurns({
            passThrough: {
              label: 'the bare pass-through Worker (baseline)',
              url: new URL('/hello-world/', passThrough.url).href,
            },
            rewritingPassThrough: {
              label: 'the pass-through Worker marking comment forms (baseline)',
              url: new URL('/hello-world/', rewriting.url).href,
            },
            // A commenter's cookie makes the read uncacheable: every one goes to the node.
            uncached: {
              label: 'uncached reads through the router',
              url: hello,
              headers: { cookie: 'comment_author_x=reader' },
            },
            cacheApi: { label: 'the bare Cache API Worker (baseline)', url: bareCacheUrl },
            hits: { label: 'cache hits through the router', url: hello },
          });
          figures['router.bare-pass-through.throughput'] = {
            value: Math.round(loads.passThrough.requestsPerSecond),
            unit: 'req/s',
          };
          figures['router.rewriting-pass-through.throughput'] = {
            value: Math.round(loads.rewritingPassThrough.requestsPerSecond),
            unit: 'req/s',
          };
          figures['router.uncached.vs-rewriting-pass-through'] = {
            value: percentOf(loads.uncached, loads.rewritingPassThrough),
            unit: '%',
          };
          figures['router.bare-cache-api.throughput'] = {
            value: Math.round(loads.cacheApi.requestsPerSecond),
            unit: 'req/s',
          };
          Object.assign(
            figures,
            turnFigures(
              'router.uncached',
              loads.uncached,
              percentOf(loads.uncached, loads.passThrough),
            ),
            turnFigures(
              'router.cache-hit',
              loads.hits,
              percentOf(loads.hits, loads.cacheApi),
              'vs-cache-api',
            ),
          );
        }),
      ),
    ),
  );
  await recordFigures(figures);
} finally {
  origin.close();
}
