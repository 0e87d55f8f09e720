import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, get } from './support/http.ts';
import { startLocalEdge } from './support/local-edge.ts';

let edge: Awaited<ReturnType<typeof startLocalEdge>>;
let origin: Server;
let originUrl: string;
/** Requests the router sent as its own probe: edge traffic for no reader. */
const probes: string[] = [];

beforeAll(async () => {
  origin = createServer((request, response) => {
    if (request.headers['x-wp-edge-origin-secret'] && !request.headers['x-forwarded-host'])
      probes.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><h1>Hello from node A</h1><p>${request.url}</p>`);
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.2', resolve));
  originUrl = `http://127.0.0.2:${(origin.address() as AddressInfo).port}`;
  edge = await startLocalEdge({ WP_EDGE_DEV_CRON_SECONDS: '1' });
});

afterAll(async () => {
  await edge?.stop();
  await new Promise((resolve) => origin?.close(resolve));
});

describe('the local edge (npm run dev)', () => {
  it('answers its health check with every Worker behind the router', async () => {
    const answer = await get(`${edge.url}/__wp-edge/health`, 'localhost');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      status: 'ok',
      workers: { comments: 'ok', views: 'ok', images: 'ok' },
    });
  });

  it('serves the page of a loopback origin registered with the CLI', async () => {
    await edge.cli('sites', 'add', 'blog', '--host', 'blog.example.com');
    await edge.cli('nodes', 'add', 'blog', 'blog-a', '--origin', originUrl, '--role', 'primary');
    const page = await eventually(
      async () => {
        const answer = await get(`${edge.url}/2026/11/hello-world/`, 'blog.example.com');
        return answer.status === 200 ? answer : undefined;
      },
      15_000,
      'the router to serve the registered node',
    );
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toBe('<!doctype html><h1>Hello from node A</h1><p>/2026/11/hello-world/</p>');
  });

  it("runs the router's cron, so its probe reaches the registered node", async () => {
    await edge.cli('sites', 'add', 'probed', '--host', 'probed.example.com');
    await edge.cli('nodes', 'add', 'probed', 'probed-a', '--origin', originUrl);
    await eventually(
      async () => (probes.includes('/') ? true : undefined),
      15_000,
      "the router's cron probe to reach the node",
    );
  });

  it('answers a host no site claims with a 404 that says how to add one', async () => {
    const answer = await get(`${edge.url}/`, 'unknown.example.com');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body).detail).toContain('npx wp-edge sites add');
  });

  it('caches a page at the edge, and forgets it when purged with the CLI', async () => {
    const page = `${edge.url}/2026/11/cached-post/`;
    const cacheOf = async () => (await get(page, 'blog.example.com')).headers['x-wp-edge-cache'];
    await eventually(
      async () => ((await cacheOf()) === 'HIT' ? true : undefined),
      15_000,
      'the page to be cached',
    );
    const answer = JSON.parse(
      await edge.cli(
        'purge',
        'blog',
        'http://blog.example.com/2026/11/cached-post/',
        '--edge-url',
        edge.url,
      ),
    );
    expect(answer).toEqual({ purged: 'pages', pages: 1 });
    expect(await cacheOf()).toBe('MISS');
  });
});
