import { withWorkers } from '@wp-edge/workerd-kit';

await withWorkers(
  [
    {
      name: 'probe',
      modules: true,
      compatibilityDate: '2026-10-15',
      durableObjects: { SITE: { className: 'Site', useSQLite: true } },
      script: `import { DurableObject } from 'cloudflare:workers';
  export class Site extends DurableObject {
    constructor(ctx, env) { super(ctx, env); ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT, v TEXT)'); ctx.storage.sql.exec('CREATE INDEX IF NOT EXISTS t_a ON t (a)'); }
    take(a, v) {
      const sql = this.ctx.storage.sql;
      for (let i = 0; i < 6; i++) sql.exec('SELECT count(*) AS n FROM t WHERE a = ?', a).one();
      sql.exec('INSERT INTO t (a, v) VALUES (?, ?)', a, v);
      return sql.exec('INSERT INTO t (a, v) VALUES (?, ?) RETURNING id', a, 'log').one().id;
    }
  }
  export default { async fetch(req, env) {
    const p = new URL(req.url).searchParams;
    if (p.get('do')) await env.SITE.get(env.SITE.idFromName('s')).take(String(Math.random()), 'x'.repeat(300));
    return new Response('ok');
  } }`,
    } as never,
  ],
  async ({ url }) => {
    for (const q of ['do=0', 'do=1', 'do=0', 'do=1']) {
      let done = 0;
      const end = performance.now() + 2000;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (performance.now() < end) {
            await (await fetch(`${url}?${q}`)).text();
            done++;
          }
        }),
      );
      console.log(q, Math.round(done / 2), 'req/s at 32 at once');
    }
  },
);
