// The router in workerd driven through the Miniflare API, in front of a real HTTP origin on
// loopback, each load measured in turns with a bare Worker running beside it (the ratio is the
// figure): uncached reads against a bare pass-through Worker and against one that also marks the
// comment form as the router does, and edge-cache hits against a bare Worker answering the same
// page from the Cache API. The page is a post with WordPress's comment form.
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
import {
  POST_PATH,
  page,
  passThroughWorker,
  publishBenchSite,
  rewritingPassThroughWorker,
  startOrigin,
  UNCACHED_HEADERS,
} from './bench-site.ts';

const { server: origin, originUrl } = await startOrigin();

const figures: Record<string, Figure> = {};
try {
  const workers = await Promise.all(
    (['router', 'comments', 'views', 'images', 'sync'] as const).map(workerOptions),
  );
  await withWorkers([passThroughWorker(originUrl)], (passThrough) =>
    withWorkers([rewritingPassThroughWorker(originUrl)], (rewriting) =>
      withWorkers([cacheApiWorker(page(POST_PATH))], (bareCache) =>
        withWorkers(workers, async (edge) => {
          await publishBenchSite(edge, originUrl);
          const hello = new URL(POST_PATH, edge.url).href;
          await (await fetch(hello)).arrayBuffer();
          const second = await fetch(hello);
          await second.arrayBuffer();
          if (second.headers.get('x-wp-edge-cache') !== 'HIT')
            throw new Error(
              `the cache-hit load would not measure hits: the second GET was ${second.headers.get('x-wp-edge-cache')}`,
            );
          const bareCacheUrl = new URL(POST_PATH, bareCache.url).href;
          await (await fetch(bareCacheUrl)).arrayBuffer();
          const loads = await measureInTurns({
            passThrough: {
              label: 'the bare pass-through Worker (baseline)',
              url: new URL(POST_PATH, passThrough.url).href,
            },
            rewritingPassThrough: {
              label: 'the pass-through Worker marking comment forms (baseline)',
              url: new URL(POST_PATH, rewriting.url).href,
            },
            // A commenter's cookie makes the read uncacheable: every one goes to the node.
            uncached: {
              label: 'uncached reads through the router',
              url: hello,
              headers: UNCACHED_HEADERS,
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
