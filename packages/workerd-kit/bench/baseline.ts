// The ceiling every other benchmark is compared with: a Worker that only answers `ok`,
// in workerd driven through the Miniflare API, loaded over loopback.
import { BARE_WORKER, measureLoad, recordFigures, runWorkers } from '../src/index.ts';

const workers = await runWorkers([BARE_WORKER]);
try {
  const load = await measureLoad({ label: 'the bare Worker', url: workers.url.href });
  await recordFigures({
    'baseline.bare-worker.throughput': { value: Math.round(load.requestsPerSecond), unit: 'req/s' },
    'baseline.bare-worker.latency-p50': { value: load.p50Ms, unit: 'ms' },
    'baseline.bare-worker.latency-p99': { value: load.p99Ms, unit: 'ms' },
  });
} finally {
  await workers.dispose();
}
