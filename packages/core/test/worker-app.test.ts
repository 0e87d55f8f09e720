import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { SiteSettings } from '../src/config/site.ts';
import type { SiteVariables } from '../src/config/site-from-host.ts';
import { snapshotDocument } from '../src/config/snapshot.ts';
import { HEALTH_PATH } from '../src/health.ts';
import { createWorkerApp } from '../src/worker-app.ts';

type TestEnv = { Bindings: { SITE_CONFIG: KVNamespace }; Variables: SiteVariables };

function app() {
  const app = createWorkerApp<TestEnv>('test', { site: { except: ['/public/*'] } });
  app.get('/whose', (c) => c.json({ site: c.var.site.id }));
  app.get('/public/script.js', (c) => c.text('for any host'));
  return app;
}

async function publish(id: string, host: string) {
  await env.SITE_CONFIG.put(
    `host:${host}`,
    snapshotDocument({
      id,
      hosts: [host],
      settings: SiteSettings.parse({}),
      nodes: [],
      publishedAt: new Date().toISOString(),
    }),
  );
}

/** The test's KV, counting the reads of each key. */
function countingKv() {
  const reads: string[] = [];
  const kv = {
    get: (key: string, type: 'json') => {
      reads.push(key);
      return env.SITE_CONFIG.get(key, type);
    },
  };
  return { reads, env: { SITE_CONFIG: kv } };
}

describe('the site lookup of every Worker app', () => {
  it('puts the site its host name belongs to on the context', async () => {
    await publish('blog', 'blog.example');
    const response = await app().request('https://blog.example/whose', {}, env);
    expect(await response.json()).toEqual({ site: 'blog' });
  });

  it('answers 404 for a host no site claims, saying how to add one', async () => {
    const response = await app().request('https://nobody.example/whose', {}, env);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no site is configured for host nobody.example; add one with: npx wp-edge sites add',
    });
  });

  it('needs no site for the health check or the paths the Worker names', async () => {
    const health = await app().request(`https://nobody.example${HEALTH_PATH}`, {}, env);
    expect(health.status).toBe(200);
    const script = await app().request('https://nobody.example/public/script.js', {}, env);
    expect(await script.text()).toBe('for any host');
  });

  it('runs the middleware it is given first before the lookup, so a refusal passes it too', async () => {
    const worker = createWorkerApp<TestEnv>('test', {
      first: [
        async (c, next) => {
          await next();
          c.res.headers.set('x-first', 'yes');
        },
      ],
      site: {},
    });
    const response = await worker.request('https://nobody.example/whose', {}, env);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-first')).toBe('yes');
  });

  it('reads KV once per host, and keeps at most 10,000 hosts before it starts afresh', async () => {
    await publish('counted', 'counted-reads.example');
    const counted = countingKv();
    const worker = app();
    await worker.request('https://counted-reads.example/whose', {}, counted.env);
    await worker.request('https://counted-reads.example/whose', {}, counted.env);
    expect(counted.reads).toEqual(['host:counted-reads.example']);
    const nobody = { SITE_CONFIG: { get: async () => null } };
    for (let i = 0; i < 10_000; i++)
      await worker.request(`https://made-up-${i}.example/whose`, {}, nobody);
    await worker.request('https://counted-reads.example/whose', {}, counted.env);
    expect(counted.reads).toEqual(['host:counted-reads.example', 'host:counted-reads.example']);
  });
});
