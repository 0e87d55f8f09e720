// What a comment's storage costs, without the intake around it: the shape of one comment
// (six indexed reads, then a comment row and its log entry) on local D1 in two round trips,
// and the same statements in a site's SQLite-backed Durable Object in one call. Each against a
// bare Worker measured in the same run; the design note (src/intake/design.md) reads these.
import {
  BARE_WORKER,
  loadFigures,
  measureLoad,
  recordFigures,
  withWorkers,
} from '@wp-edge/workerd-kit';
import type { LegacyWorkerOptions } from 'miniflare';

const TABLES = [
  'CREATE TABLE IF NOT EXISTS comments (id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT, content TEXT)',
  'CREATE INDEX IF NOT EXISTS comments_by_address ON comments (address)',
  'CREATE TABLE IF NOT EXISTS comment_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT)',
];
const READ = 'SELECT count(*) AS n FROM comments WHERE address = ?';
const INSERT = 'INSERT INTO comments (address, content) VALUES (?, ?)';
const LOG = 'INSERT INTO comment_log (payload) VALUES (?) RETURNING seq';

const STORE: LegacyWorkerOptions = {
  name: 'storage',
  modules: true,
  compatibilityDate: '2026-10-15',
  d1Databases: ['DB'],
  durableObjects: { SITE: { className: 'Site', useSQLite: true } },
  script: `
import { DurableObject } from 'cloudflare:workers';
const TABLES = ${JSON.stringify(TABLES)};
export class Site extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    for (const table of TABLES) ctx.storage.sql.exec(table);
  }
  store(address, content) {
    const sql = this.ctx.storage.sql;
    for (let i = 0; i < 6; i++) sql.exec(${JSON.stringify(READ)}, address).one();
    return this.ctx.storage.transactionSync(() => {
      sql.exec(${JSON.stringify(INSERT)}, address, content);
      return sql.exec(${JSON.stringify(LOG)}, content).one().seq;
    });
  }
}
let sent = 0;
export default {
  async fetch(request, env) {
    const address = String(sent++);
    const content = 'Comment number ' + address;
    if (new URL(request.url).pathname === '/object') {
      await env.SITE.get(env.SITE.idFromName('bench')).store(address, content);
      return new Response('ok');
    }
    await env.DB.batch(Array.from({ length: 6 }, () => env.DB.prepare(${JSON.stringify(READ)}).bind(address)));
    await env.DB.batch([
      env.DB.prepare(${JSON.stringify(INSERT)}).bind(address, content),
      env.DB.prepare(${JSON.stringify(LOG)}).bind(content),
    ]);
    return new Response('ok');
  },
};`,
};

const baseline = await withWorkers([BARE_WORKER], (workers) =>
  measureLoad({ label: 'the bare Worker (baseline)', url: workers.url.href }),
);
const [d1, object] = await withWorkers([STORE], async (workers) => {
  const db = await workers.miniflare.getD1Database('DB');
  for (const table of TABLES) await db.prepare(table).run();
  return [
    await measureLoad({ label: 'D1, two round trips', url: new URL('/d1', workers.url).href }),
    await measureLoad({ label: 'site object', url: new URL('/object', workers.url).href }),
  ];
});
await recordFigures({
  'comments.storage.bare-worker.throughput': {
    value: Math.round(baseline.requestsPerSecond),
    unit: 'req/s',
  },
  ...loadFigures('comments.storage.d1-two-round-trips', d1, baseline, 'comments/s'),
  ...loadFigures('comments.storage.site-object', object, baseline, 'comments/s'),
});
