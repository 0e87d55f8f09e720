// Page views under load, in workerd driven through the Miniflare API:
// - beacon increments/s against a bare Worker measured in the same run (the ratio);
// - whether any increment is lost: exactly 2,000 beacons from 32 concurrent clients, each
//   answered, then the count read back once the shards have handed it to the rollup;
// - the latency of a batch read of 100 posts;
// - the same increments on a KV read-modify-write counter, and how many it loses.
import {
  BARE_WORKER,
  BenchFailure,
  loadFigures,
  measureLoad,
  type RunningWorkers,
  recordFigures,
  sendExactly,
  withWorkers,
  workerOptions,
} from '@wp-edge/workerd-kit';
import type { LegacyWorkerOptions } from 'miniflare';

const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const EXACT_INCREMENTS = 2_000;
const CLIENTS = 32;
const POST_IDS = Array.from({ length: 100 }, (_, i) => i + 1);

const KV_COUNTER: LegacyWorkerOptions = {
  name: 'kv-counter',
  modules: true,
  compatibilityDate: '2026-10-15',
  kvNamespaces: ['COUNTER'],
  script: `export default {
    async fetch(request, env) {
      if (request.method === 'GET') return new Response(await env.COUNTER.get('views') ?? '0');
      const views = Number(await env.COUNTER.get('views') ?? '0');
      await env.COUNTER.put('views', String(views + 1));
      return new Response('ok');
    },
  };`,
};

/** A lost count is only measured when every increment was answered 2xx. */
function refuseUnanswered(what: string, answered: number): void {
  if (answered !== EXACT_INCREMENTS)
    throw new BenchFailure(
      `${what}: only ${answered} of ${EXACT_INCREMENTS} were answered 2xx; no figure is recorded`,
    );
}

const visitorAddress = (i: number, network = 9) => `10.${network}.${(i >> 8) & 255}.${i & 255}`;

// 4,096 visitors, so the load spreads over the shards as real readers' views do, and no
// address sends more than one view per connection: under the 100 a minute an address may
// send. (65,536 made autocannon build requests for long enough on a busy machine that the
// warm-up's requests timed out, before and after the rollup alike.)
const beacons = Array.from({ length: 4_096 }, (_, i) => ({
  method: 'POST' as const,
  path: '/api/views',
  body: JSON.stringify({ postId: 1 }),
  headers: { 'user-agent': BROWSER, 'cf-connecting-ip': visitorAddress(i) },
}));

async function viewsOf(workers: RunningWorkers, postId: number): Promise<number> {
  const response = await fetch(new URL(`/api/views?posts=${postId}`, workers.url));
  return (
    ((await response.json()) as { posts: Record<string, { views: number }> }).posts[postId]
      ?.views ?? 0
  );
}

/** The post's views once the shards have handed them to the rollup (within a second), or after 10 s. */
async function settledViewsOf(workers: RunningWorkers, postId: number, expected: number) {
  const deadlineMs = Date.now() + 10_000;
  let views = await viewsOf(workers, postId);
  while (views < expected && Date.now() < deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    views = await viewsOf(workers, postId);
  }
  return views;
}

const baseline = await withWorkers([BARE_WORKER], (workers) =>
  measureLoad({ label: 'the bare Worker (baseline)', url: workers.url.href }),
);

const views = await withWorkers([await workerOptions('views')], async (workers) => {
  const kv = await workers.miniflare.getKVNamespace('SITE_CONFIG');
  const site = {
    id: 'bench',
    hosts: ['127.0.0.1'],
    // Every view counts, as on a site whose readers never reload: the window would answer repeats.
    settings: { views: { windowMinutes: 0 } },
    nodes: [],
    publishedAt: new Date().toISOString(),
  };
  await kv.put('host:127.0.0.1', JSON.stringify(site));
  // The first views start the salt and the shards; on a busy machine that outlasts the warm-up.
  await sendExactly(64, 8, (i) =>
    fetch(new URL('/api/views', workers.url), {
      method: 'POST',
      body: JSON.stringify({ postId: 3 }),
      headers: { 'user-agent': BROWSER, 'cf-connecting-ip': visitorAddress(i, 11) },
    }),
  );
  const increments = await measureLoad({
    label: 'view beacons',
    url: workers.url.href,
    requests: beacons,
  });
  const answered = await sendExactly(EXACT_INCREMENTS, CLIENTS, (i) =>
    fetch(new URL('/api/views', workers.url), {
      method: 'POST',
      body: JSON.stringify({ postId: 2 }),
      headers: { 'user-agent': BROWSER, 'cf-connecting-ip': visitorAddress(i, 10) },
    }),
  );
  refuseUnanswered('view beacons', answered);
  const counted = await settledViewsOf(workers, 2, answered);
  const reads = await measureLoad({
    label: 'batch reads of 100 posts',
    url: new URL(`/api/views?posts=${POST_IDS.join(',')}`, workers.url).href,
  });
  return { increments, answered, counted, reads };
});

const kv = await withWorkers([KV_COUNTER], async (workers) => {
  const load = await measureLoad({
    label: 'the KV counter',
    url: workers.url.href,
    method: 'POST',
  });
  const exact = await withWorkers(
    [{ ...KV_COUNTER, name: 'kv-counter-exact' }],
    async (counter) => {
      const answered = await sendExactly(EXACT_INCREMENTS, CLIENTS, () =>
        fetch(counter.url, { method: 'POST' }),
      );
      refuseUnanswered('KV counter increments', answered);
      return { answered, counted: Number(await (await fetch(counter.url)).text()) };
    },
  );
  return { load, ...exact };
});

await recordFigures({
  'views.bare-worker.throughput': { value: Math.round(baseline.requestsPerSecond), unit: 'req/s' },
  ...loadFigures('views.increments', views.increments, baseline),
  'views.increments.lost-of-2000': { value: views.answered - views.counted, unit: 'views' },
  ...loadFigures('views.batch-read-100', views.reads, baseline),
  'kv-rmw-counter.increments.throughput': {
    value: Math.round(kv.load.requestsPerSecond),
    unit: 'req/s',
  },
  'kv-rmw-counter.increments.lost-of-2000': { value: kv.answered - kv.counted, unit: 'views' },
});
