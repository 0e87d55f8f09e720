import { withWorkers } from '@wp-edge/workerd-kit';

await withWorkers(
  [
    {
      name: 'probe',
      modules: true,
      compatibilityDate: '2026-10-15',
      d1Databases: ['DB'],
      script: `
  export default { async fetch(req, env) {
    const p = new URL(req.url).searchParams;
    if (p.get('init')) { await env.DB.exec('CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)'); return new Response('ok'); }
    const k = Number(p.get('k'));
    for (let i = 0; i < k; i++) await env.DB.prepare('SELECT 1 AS one').all();
    const w = Number(p.get('w') ?? 0);
    for (let i = 0; i < w; i++) await env.DB.batch([env.DB.prepare('INSERT INTO t (v) VALUES (?)').bind('x'.repeat(300)), env.DB.prepare('INSERT INTO t (v) VALUES (?)').bind('y')]);
    return new Response('ok');
  } }`,
    } as never,
  ],
  async ({ url }) => {
    await fetch(`${url}?init=1`);
    for (const q of ['k=0', 'k=1', 'k=2', 'k=3', 'k=0&w=1', 'k=1&w=1', 'k=2&w=1']) {
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
