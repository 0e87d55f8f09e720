// Where a router request's time goes in workerd: `npm run profile -w @wp-edge/router -- hit`
// (or `uncached`) loads the router with edge-cache hits (or uncached reads) for 5 s under a CPU
// profile of its isolate, then the bare Worker that row of `npm run bench` is measured against,
// and prints each one's busy time per request and the router's busy time by module of its
// bundle (native functions by name). Writes the router's profile to bench/router-<load>.cpuprofile
// for Chrome's DevTools. Figures for finding the time, not claims: those are `npm run bench`'s.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  busyMicrosecondsPer,
  busyTimeByModule,
  cacheApiWorker,
  measureLoad,
  profileWhile,
  type RunningWorkers,
  withWorkers,
  workerOptions,
} from '@wp-edge/workerd-kit';
import {
  POST_PATH,
  page,
  passThroughWorker,
  publishBenchSite,
  startOrigin,
  UNCACHED_HEADERS,
} from './bench-site.ts';

const LOADS = { hit: 'edge-cache hits', uncached: 'uncached reads' } as const;
const load = process.argv[2] as keyof typeof LOADS;
if (!(load in LOADS)) {
  console.error('say which load to profile: npm run profile -w @wp-edge/router -- hit|uncached');
  process.exit(2);
}
const PROFILED_SECONDS = 5;
const TOP_MODULES = 25;

/** Loads `url` for a second, then for PROFILED_SECONDS under a CPU profile of `worker`'s isolate. */
async function profiled(running: RunningWorkers, worker: string, url: string) {
  const options = { label: `${LOADS[load]} (${worker})`, url, warmupSeconds: 0 };
  const headers = load === 'uncached' && worker === 'wp-edge-router' ? UNCACHED_HEADERS : {};
  await measureLoad({ ...options, headers, durationSeconds: 1 });
  return profileWhile(running.miniflare, worker, () =>
    measureLoad({ ...options, headers, durationSeconds: PROFILED_SECONDS }),
  );
}

const { server: origin, originUrl } = await startOrigin();
try {
  const [baseline, baselineName] =
    load === 'hit'
      ? [cacheApiWorker(page(POST_PATH)), 'bare-cache-api']
      : [passThroughWorker(originUrl), 'pass-through'];
  const bare = await withWorkers(
    [baseline],
    (running) => profiled(running, baselineName, new URL(POST_PATH, running.url).href),
    { inspectorPort: 0 },
  );
  const workers = await Promise.all(
    (['router', 'comments', 'views', 'images', 'sync'] as const).map(workerOptions),
  );
  const router = await withWorkers(
    workers,
    async (edge) => {
      await publishBenchSite(edge, originUrl);
      return profiled(edge, 'wp-edge-router', new URL(POST_PATH, edge.url).href);
    },
    { inspectorPort: 0 },
  );
  const saved = path.join(import.meta.dirname, `router-${load}.cpuprofile`);
  await writeFile(saved, JSON.stringify(router.profile));
  const perRequest = (run: typeof router) =>
    busyMicrosecondsPer(run.profile, run.result.total).toFixed(0);
  console.log(`${LOADS[load]}, busy time of the isolate per request:`);
  console.log(
    `  router              ${perRequest(router)} µs (${Math.round(router.result.requestsPerSecond)} req/s)`,
  );
  console.log(
    `  ${baselineName.padEnd(20)}${perRequest(bare)} µs (${Math.round(bare.result.requestsPerSecond)} req/s)`,
  );
  console.log(
    `the router's busy time by module (profile: ${path.relative(process.cwd(), saved)}):`,
  );
  const bundle = (workers[0] as { script?: string } | undefined)?.script ?? '';
  for (const { module, percent } of busyTimeByModule(router.profile, bundle).slice(0, TOP_MODULES))
    console.log(`  ${percent.toFixed(1).padStart(5)}%  ${module}`);
} finally {
  origin.close();
}
