// The router in workerd driven through the Miniflare API, in front of a real HTTP origin on
// loopback: uncached pass-through throughput against a bare pass-through Worker measured in
// the same run (the ratio is the figure), and the throughput of edge-cache hits.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SiteSettings } from '@wp-edge/core';
import {
  type Figure,
  loadFigures,
  measureLoad,
  recordFigures,
  withWorkers,
  workerOptions,
} from '@wp-edge/workerd-kit';

const origin = createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
  response.end(`<!doctype html><title>Post</title><p>${request.url}</p>`);
});
await new Promise<void>((resolve) => origin.listen(0, '127.0.0.2', resolve));
const originUrl = `http://127.0.0.2:${(origin.address() as AddressInfo).port}`;

const PASS_THROUGH = {
  name: 'pass-through',
  modules: true,
  compatibilityDate: '2026-10-15',
  script: `export default { fetch(request) { const url = new URL(request.url); return fetch('${originUrl}' + url.pathname + url.search); } };`,
};

const figures: Record<string, Figure> = {};
try {
  const bare = await withWorkers([PASS_THROUGH], (workers) =>
    measureLoad({
      label: 'the bare pass-through Worker (baseline)',
      url: new URL('/hello-world/', workers.url).href,
    }),
  );
  figures['router.bare-pass-through.throughput'] = {
    value: Math.round(bare.requestsPerSecond),
    unit: 'req/s',
  };
  const workers = await Promise.all(
    (['router', 'comments', 'views', 'images', 'sync'] as const).map(workerOptions),
  );
  await withWorkers(workers, async (edge) => {
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
    const uncached = await measureLoad({
      label: 'uncached reads through the router',
      url: new URL('/hello-world/', edge.url).href,
      headers: { cookie: 'comment_author_x=reader' },
    });
    const page = new URL('/hello-world/', edge.url).href;
    await (await fetch(page)).arrayBuffer();
    const second = await fetch(page);
    await second.arrayBuffer();
    if (second.headers.get('x-wp-edge-cache') !== 'HIT')
      throw new Error(
        `the cache-hit load would not measure hits: the second GET was ${second.headers.get('x-wp-edge-cache')}`,
      );
    const cached = await measureLoad({ label: 'cache hits through the router', url: page });
    Object.assign(figures, loadFigures('router.uncached', uncached, bare));
    figures['router.cache-hit.throughput'] = {
      value: Math.round(cached.requestsPerSecond),
      unit: 'req/s',
    };
    figures['router.cache-hit.latency-p99'] = { value: cached.p99Ms, unit: 'ms' };
  });
  await recordFigures(figures);
} finally {
  origin.close();
}
