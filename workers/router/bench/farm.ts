// A farm of 500 sites with 2 nodes each in one deployment, the router and the other Workers in
// workerd driven through the Miniflare API, the nodes two loopback servers: the router's
// throughput across random hosts against one site's (measured in the same run), how much the
// router isolate's heap grows with 500 sites' cached snapshots, health and purges (locally its
// Durable Objects share that isolate), one probe cycle of every node, and `wp-edge sites
// publish` for all 500 sites against publishing one.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SeedConfig } from '@wp-edge/core';
import { applySeed, bindingStore } from '@wp-edge/core/provision';
import {
  applyMigrations,
  BenchFailure,
  type Figure,
  isolateHeapBytes,
  measureLoad,
  type RunningWorkers,
  recordFigures,
  withWorkers,
  workerOptions,
} from '@wp-edge/workerd-kit';
import { farmProbes } from './farm-probes.ts';

const SITES = 500;
const SEED_CHUNK = 25;
const PROBE_PATH = '/probe';
const cli = path.resolve(import.meta.dirname, '../../../packages/cli/bin/wp-edge.js');

/** Node requests as the stand-in nodes saw them: every probe, with when it arrived. */
export const probesSeen: number[] = [];

function node(name: string): Server {
  return createServer((request, response) => {
    if (request.url?.startsWith(PROBE_PATH)) probesSeen.push(performance.now());
    response.writeHead(200, { 'content-type': 'text/html; charset=UTF-8', 'x-origin': name });
    response.end(`<!doctype html><title>Post</title><p>${request.url}</p>`);
  });
}

async function listen(server: Server, host: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

const siteId = (i: number) => `farm-${i}`;
const host = (i: number) => `farm-${i}.example`;

/** Provisions the farm through core's seed, as `wp-edge seed` does, a few sites per batch. */
async function seedFarm(edge: RunningWorkers, origins: [string, string]): Promise<void> {
  const d1 = await edge.miniflare.getD1Database('DB', 'wp-edge-router');
  await applyMigrations(d1);
  const store = bindingStore(
    d1,
    await edge.miniflare.getKVNamespace('SITE_CONFIG', 'wp-edge-router'),
  );
  for (let first = 0; first < SITES; first += SEED_CHUNK) {
    const sites = Array.from({ length: SEED_CHUNK }, (_, k) => first + k).map((i) => ({
      id: siteId(i),
      hosts: [host(i)],
      settings: { health: { probePath: PROBE_PATH } },
      nodes: [
        { id: `${siteId(i)}-a`, originUrl: origins[0], role: 'primary' },
        { id: `${siteId(i)}-b`, originUrl: origins[1], role: 'secondary' },
      ],
    }));
    await applySeed(store, SeedConfig.parse({ sites }));
  }
}

/** Seconds `wp-edge sites publish [id]` takes on the farm's state, CLI start included. */
function publishSeconds(state: string, ...site: string[]): number {
  const started = performance.now();
  const output = execFileSync(
    process.execPath,
    [cli, '--state', state, 'sites', 'publish', ...site],
    {
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    },
  );
  if (!output.startsWith('published farm-'))
    throw new BenchFailure(`wp-edge sites publish answered: ${output.trim()}`);
  return (performance.now() - started) / 1000;
}

/** Uncached reads of a blog post, each request with its own host: one site's, or every site's shuffled. */
function reads(edge: RunningWorkers, hosts: string[], label: string) {
  return measureLoad({
    label,
    url: new URL('/hello-world/', edge.url).href,
    requests: hosts.map((name) => ({
      method: 'GET',
      path: '/hello-world/',
      headers: { host: name, cookie: 'comment_author_x=reader' },
    })),
  });
}

const shuffled = <T>(items: T[]) =>
  items
    .map((item) => ({ item, key: Math.random() }))
    .sort((x, y) => x.key - y.key)
    .map(({ item }) => item);

const servers = [node('a'), node('b')];
const state = await mkdtemp(path.join(tmpdir(), 'wp-edge-farm-'));
const figures: Record<string, Figure> = {};
try {
  const origins: [string, string] = [
    await listen(servers[0] as Server, '127.0.0.2'),
    await listen(servers[1] as Server, '127.0.0.3'),
  ];
  const workers = await Promise.all(
    (['router', 'comments', 'views', 'images', 'sync'] as const).map(workerOptions),
  );
  await withWorkers(
    workers,
    async (edge) => {
      await seedFarm(edge, origins);
      const publishOne = publishSeconds(state, siteId(0));
      const publishAll = publishSeconds(state);
      figures['router.farm.publish-one-site.seconds'] = { value: publishOne, unit: 's' };
      figures['router.farm.publish-500-sites.seconds'] = { value: publishAll, unit: 's' };
      figures['router.farm.publish-500-sites.vs-one-site'] = {
        value: publishAll / publishOne,
        unit: '×',
      };

      const one = await reads(edge, [host(0)], 'uncached reads of one site of the farm');
      const heapOneSite = await isolateHeapBytes(edge.miniflare, 'wp-edge-router');
      const all = await reads(
        edge,
        shuffled(Array.from({ length: SITES }, (_, i) => host(i))),
        'uncached reads across the farm’s 500 hosts',
      );
      const heapAllSites = await isolateHeapBytes(edge.miniflare, 'wp-edge-router');
      figures['router.farm.one-site.throughput'] = {
        value: Math.round(one.requestsPerSecond),
        unit: 'req/s',
      };
      figures['router.farm.random-hosts.throughput'] = {
        value: Math.round(all.requestsPerSecond),
        unit: 'req/s',
      };
      figures['router.farm.random-hosts.vs-one-site'] = {
        value: (100 * all.requestsPerSecond) / one.requestsPerSecond,
        unit: '%',
      };
      figures['router.farm.random-hosts.latency-p99'] = { value: all.p99Ms, unit: 'ms' };
      figures['router.farm.isolate-heap.growth-500-sites'] = {
        value: (heapAllSites - heapOneSite) / 2 ** 20,
        unit: 'MiB',
      };
      figures['router.farm.isolate-heap.per-site'] = {
        value: (heapAllSites - heapOneSite) / (SITES - 1) / 1024,
        unit: 'KiB',
      };
      Object.assign(
        figures,
        await farmProbes(
          edge,
          Array.from({ length: SITES }, (_, i) => siteId(i)),
          SITES * 2,
          probesSeen,
        ),
      );
    },
    { resourcePersistencePath: path.join(state, 'v3'), inspectorPort: 0 },
  );
  await recordFigures(figures);
} finally {
  for (const server of servers) server.close();
  await rm(state, { recursive: true, force: true });
}
