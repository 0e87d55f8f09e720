// Page views under load, in workerd driven through the Miniflare API, for a site whose catalog
// lists every post the beacons name:
// - beacon increments/s against a bare Worker answering the same POSTs, measured in turns with
//   it (the ratio): all on one post (a hot post) and spread over 100 posts;
// - whether any increment is lost: exactly 2,000 beacons from 32 concurrent clients, each
//   answered, then the count read back once the shards have handed it to the rollup;
// - batch reads of 100 posts, against the bare Worker answering the same GET in the same turns;
// - the same increments on a KV read-modify-write counter, and how many it loses.
import {
  applyMigrations,
  BARE_WORKER,
  BenchFailure,
  type LoadOptions,
  measureInTurns,
  measureLoad,
  percentOf,
  type RunningWorkers,
  recordFigures,
  sendExactly,
  turnFigures,
  withWorkers,
  workerOptions,
} from '@wp-edge/workerd-kit';
import type autocannon from 'autocannon';
import type { LegacyWorkerOptions } from 'miniflare';

const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const EXACT_INCREMENTS = 2_000;
const CLIENTS = 32;
const POST_IDS = Array.from({ length: 100 }, (_, i) => i + 1);
/** The post the exact increments go to: none of the loads' posts. */
const EXACT_POST = 1_000;

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

// Every beacon of the loads comes from a new visitor (autocannon starts each connection at the
// top of a request list, so a list would send each address once per connection), all under the
// 100 views a minute an address may send.
let visitorsSoFar = 0;
function beacons(posts: number): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: '/api/views',
      setupRequest: (request) => {
        const i = visitorsSoFar++;
        return {
          ...request,
          body: JSON.stringify({ postId: (i % posts) + 1 }),
          headers: {
            'user-agent': BROWSER,
            'cf-connecting-ip': `10.${100 + ((i >> 16) & 127)}.${(i >> 8) & 255}.${i & 255}`,
          },
        };
      },
    },
  ];
}

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

/**
 * The site's post catalog as its primary's agent publishes it to D1: every post a beacon names
 * is a published post, so views are counted as on a real site (vouched for by the catalog).
 */
async function publishCatalog(workers: RunningWorkers, siteId: string): Promise<void> {
  const db = await workers.miniflare.getD1Database('DB');
  await applyMigrations(db);
  const nowMs = Date.now();
  await db
    .prepare('INSERT INTO catalog_sites (site_id, site_url, updated_at) VALUES (?, ?, ?)')
    .bind(siteId, 'http://127.0.0.1', nowMs)
    .run();
  const insert = db.prepare(
    `INSERT INTO catalog_posts (site_id, post_id, status, comment_status, permalink, updated_at)
     VALUES (?, ?, 'publish', 'open', ?, ?)`,
  );
  await db.batch(
    [...POST_IDS, EXACT_POST].map((postId) =>
      insert.bind(siteId, postId, `http://127.0.0.1/?p=${postId}`, nowMs),
    ),
  );
}

const BATCH_READ = `/api/views?posts=${POST_IDS.join(',')}`;

const viewsWorker = await workerOptions('views');
const views = await withWorkers([BARE_WORKER], (bare) =>
  withWorkers([viewsWorker], async (workers) => {
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
    await publishCatalog(workers, site.id);
    // The first views start the salt and the shards; on a busy machine that outlasts the warm-up.
    await sendExactly(64, 8, (i) =>
      fetch(new URL('/api/views', workers.url), {
        method: 'POST',
        body: JSON.stringify({ postId: 3 }),
        headers: { 'user-agent': BROWSER, 'cf-connecting-ip': visitorAddress(i, 11) },
      }),
    );
    // The bare Worker answers the same requests: POSTs of the same beacons, and the same GET.
    const both = (label: string, options: Omit<LoadOptions, 'label' | 'url'>, path = '/') => ({
      [`bare ${label}`]: {
        label: `the bare Worker (${label})`,
        url: new URL(path, bare.url).href,
        ...options,
      },
      [label]: { label, url: new URL(path, workers.url).href, ...options },
    });
    const loads = await measureInTurns({
      ...both('view beacons of one post', { requests: beacons(1) }),
      ...both('view beacons of 100 posts', { requests: beacons(POST_IDS.length) }),
      ...both('batch reads of 100 posts', {}, BATCH_READ),
    });
    const answered = await sendExactly(EXACT_INCREMENTS, CLIENTS, (i) =>
      fetch(new URL('/api/views', workers.url), {
        method: 'POST',
        body: JSON.stringify({ postId: EXACT_POST }),
        headers: { 'user-agent': BROWSER, 'cf-connecting-ip': visitorAddress(i, 10) },
      }),
    );
    refuseUnanswered('view beacons', answered);
    const counted = await settledViewsOf(workers, EXACT_POST, answered);
    return { loads, answered, counted };
  }),
);

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

const { loads } = views;
const turns = (name: string, label: string) => {
  const [load, bare] = [loads[label], loads[`bare ${label}`]];
  if (!load || !bare) throw new BenchFailure(`${label} was not measured`);
  return turnFigures(name, load, percentOf(load, bare));
};

await recordFigures({
  'views.bare-worker.throughput': {
    value: Math.round(loads['bare view beacons of one post']?.requestsPerSecond ?? 0),
    unit: 'req/s',
  },
  ...turns('views.increments', 'view beacons of one post'),
  ...turns('views.increments-100-posts', 'view beacons of 100 posts'),
  'views.increments.lost-of-2000': { value: views.answered - views.counted, unit: 'views' },
  ...turns('views.batch-read-100', 'batch reads of 100 posts'),
  'kv-rmw-counter.increments.throughput': {
    value: Math.round(kv.load.requestsPerSecond),
    unit: 'req/s',
  },
  'kv-rmw-counter.increments.lost-of-2000': { value: kv.answered - kv.counted, unit: 'views' },
});
