// Comments accepted per second at the edge, in workerd driven through the Miniflare API
// with real local D1, against a bare Worker loaded in turns with it (the ratio is the figure).
// Every request is a new, valid comment from its own address; the flood and rate checks are
// off for the bench site, so each one is stored.
import {
  applyMigrations,
  BARE_WORKER,
  BenchFailure,
  measureInTurns,
  measureLoad,
  percentOf,
  type RunningWorkers,
  recordFigures,
  turnFigures,
  withWorkers,
  workerOptions,
} from '@wp-edge/workerd-kit';
import type autocannon from 'autocannon';

const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

async function prepareSite(workers: RunningWorkers) {
  const db = await workers.miniflare.getD1Database('DB');
  await applyMigrations(db);
  const now = Date.now();
  await db
    .prepare(
      "INSERT INTO sites (id, settings, created_at, updated_at) VALUES ('bench', '{}', ?, ?)",
    )
    .bind(now, now)
    .run();
  await db
    .prepare(
      "INSERT INTO catalog_sites (site_id, site_url, updated_at) VALUES ('bench', 'http://127.0.0.1', ?)",
    )
    .bind(now)
    .run();
  await db
    .prepare(
      "INSERT INTO catalog_posts (site_id, post_id, status, comment_status, permalink, updated_at) VALUES ('bench', 1, 'publish', 'open', 'http://127.0.0.1/hello-world/', ?)",
    )
    .bind(now)
    .run();
  const kv = await workers.miniflare.getKVNamespace('SITE_CONFIG');
  const settings = { comments: { moderation: 'auto', floodIntervalSeconds: 0, rateLimitCount: 0 } };
  const site = {
    id: 'bench',
    hosts: ['127.0.0.1'],
    settings,
    nodes: [],
    publishedAt: new Date().toISOString(),
  };
  await kv.put('host:127.0.0.1', JSON.stringify(site));
  return db;
}

let sent = 0;
const comment = {
  method: 'POST' as const,
  path: '/wp-comments-post.php',
  setupRequest: (request: autocannon.Request): autocannon.Request => {
    sent++;
    return {
      ...request,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': BROWSER,
        'cf-connecting-ip': `10.${(sent >> 16) & 255}.${(sent >> 8) & 255}.${sent & 255}`,
      },
      body: new URLSearchParams({
        comment_post_ID: '1',
        author: `Reader ${sent}`,
        email: `r${sent}@example.com`,
        comment: `Comment number ${sent}`,
      }).toString(),
    };
  },
};

const CONNECTIONS = 32;
const ROUNDS = 3;

// The bare Worker and the intake run all along and are loaded in turns, so the machine's other
// work weighs on both alike.
const intakeWorker = await workerOptions('comments');
const { loads, stored } = await withWorkers([BARE_WORKER], (bare) =>
  withWorkers([intakeWorker], async (workers) => {
    const db = await prepareSite(workers);
    const intake = {
      label: 'comments',
      url: workers.url.href,
      requests: [comment],
      connections: CONNECTIONS,
      warmupSeconds: 0,
    };
    await measureLoad({ ...intake, label: 'comments (warm-up)', durationSeconds: 3 });
    const rows = async () =>
      (await db.prepare('SELECT count(*) AS n FROM comments').first<{ n: number }>())?.n ?? 0;
    const before = await rows();
    const loads = await measureInTurns(
      { bare: { label: 'the bare Worker (baseline)', url: bare.url.href }, comments: intake },
      { rounds: ROUNDS },
    );
    return { loads, stored: (await rows()) - before };
  }),
);

// Each answered comment is stored once; the few still in flight when a round ended may be too.
const accepted = loads.comments;
if (stored < accepted.total || stored > accepted.total + ROUNDS * CONNECTIONS) {
  throw new BenchFailure(
    `${accepted.total} comments were accepted but ${stored} reached D1; no figure is recorded`,
  );
}
await recordFigures({
  'comments.bare-worker.throughput': {
    value: Math.round(loads.bare.requestsPerSecond),
    unit: 'req/s',
  },
  ...turnFigures(
    'comments.accepted',
    accepted,
    percentOf(accepted, loads.bare),
    'vs-bare',
    'comments/s',
  ),
});
