// A farm of 500 sites with 2 nodes each in one deployment, the router and the other Workers in
// workerd driven through the Miniflare API, the nodes two loopback servers: the router's
// throughput across random hosts against one site's (measured in the same run), how much the
// router isolate's heap grows with 500 sites' cached snapshots, health and purges (its Durable
// Objects run apart, as on Cloudflare), one probe cycle of every node, and `wp-edge sites
// publish` for all 500 sites against publishing one.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
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
import type { LegacyWorkerOptions } from 'miniflare';
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

const ROUTER_OBJECTS = 'wp-edge-router-objects';

/**
 * The router with its Durable Objects run by a second copy of its code, as on Cloudflare, where
 * an object never lives in the isolate of the Worker that calls it: the router isolate's heap is
 * then its own caches, not also 500 sites' objects, which workerd evicts and brings back on its
 * own schedule.
 */
function routerApartFromItsObjects(router: LegacyWorkerOptions): LegacyWorkerOptions[] {
  const durableObjects = Object.fromEntries(
    Object.entries(router.durableObjects ?? {}).map(([binding, object]) => [
      binding,
      typeof object === 'string'
        ? { className: object, scriptName: ROUTER_OBJECTS }
        : { ...object, scriptName: ROUTER_OBJECTS },
    ]),
  );
  return [
    { ...router, durableObjects },
    { ...router, name: ROUTER_OBJECTS, cronTriggers: [], serviceBindings: {} },
  ];
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

/** One uncached read of a blog post as this host name (through node:http: fetch may not set Host). */
function readAs(edge: RunningWorkers, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: edge.url.hostname,
        port: edge.url.port,
        path: '/hello-world/',
        headers: { host: name, cookie: 'comment_author_x=reader' },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200
            ? resolve()
            : reject(new BenchFailure(`a read as ${name} was answered ${response.statusCode}`)),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** Reads as each of these host names, in order, eight at a time. */
async function readEach(edge: RunningWorkers, names: string[]): Promise<void> {
  let next = 0;
  const reader = async () => {
    while (next < names.length) await readAs(edge, names[next++] ?? '');
  };
  await Promise.all(Array.from({ length: 8 }, reader));
}

/**
 * How much the router isolate's heap grows with the state it keeps of 499 more sites (their
 * snapshots, health and purges): its growth over one read of each, less its growth over as
 * many reads of one site, which is what the requests alone leave behind in workerd (a bare
 * Worker's heap grows by megabytes under load too).
 */
async function sitesHeapBytes(edge: RunningWorkers): Promise<number> {
  const heap = () => isolateHeapBytes(edge.miniflare, 'wp-edge-router');
  const others = Array.from({ length: SITES - 1 }, (_, i) => host(i + 1));
  await readEach(edge, Array<string>(200).fill(host(0)));
  const warm = await heap();
  await readEach(edge, Array<string>(others.length).fill(host(0)));
  const oneSite = await heap();
  await readEach(edge, others);
  const allSites = await heap();
  return allSites - oneSite - (oneSite - warm);
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
  const router = await workerOptions('router');
  const others = await Promise.all(
    (['comments', 'views', 'images', 'sync'] as const).map(workerOptions),
  );
  await withWorkers(
    [...routerApartFromItsObjects(router), ...others],
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

      const sitesHeap = await sitesHeapBytes(edge);
      const one = await reads(edge, [host(0)], 'uncached reads of one site of the farm');
      const all = await reads(
        edge,
        shuffled(Array.from({ length: SITES }, (_, i) => host(i))),
        'uncached reads across the farm’s 500 hosts',
      );
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
        value: sitesHeap / 2 ** 20,
        unit: 'MiB',
      };
      figures['router.farm.isolate-heap.per-site'] = {
        value: sitesHeap / (SITES - 1) / 1024,
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
