// The ceilings every other benchmark is compared with, in workerd driven through the Miniflare
// API, loaded over loopback in turns: a Worker that only answers `ok`, one that answers one
// object from the Cache API, and one that streams one R2 object. The last two say what the
// local Cache API and R2 cost on their own, as a share of the bare Worker.
import {
  BARE_WORKER,
  cacheApiWorker,
  measureInTurns,
  percentOf,
  R2_STREAM_BUCKET,
  R2_STREAM_WORKER,
  recordFigures,
  turnFigures,
  withWorkers,
} from '../src/index.ts';

const PAGE = '<!doctype html><title>Post</title><p>/hello-world/</p>';

await withWorkers([BARE_WORKER], (bare) =>
  withWorkers([cacheApiWorker(PAGE)], (cache) =>
    withWorkers([R2_STREAM_WORKER], async (r2) => {
      const bucket = await r2.miniflare.getR2Bucket(R2_STREAM_BUCKET);
      await bucket.put('photo.jpg', new Uint8Array(4096).fill(7), {
        httpMetadata: { contentType: 'image/jpeg' },
      });
      const page = new URL('/hello-world/', cache.url).href;
      await (await fetch(page)).arrayBuffer();
      const loads = await measureInTurns({
        bare: { label: 'the bare Worker', url: bare.url.href },
        cacheApi: { label: 'the bare Cache API Worker', url: page },
        r2Stream: {
          label: 'the bare R2 streaming Worker',
          url: new URL('/photo.jpg', r2.url).href,
        },
      });
      await recordFigures({
        'baseline.bare-worker.throughput': {
          value: Math.round(loads.bare.requestsPerSecond),
          unit: 'req/s',
        },
        'baseline.bare-worker.latency-p50': { value: loads.bare.p50Ms, unit: 'ms' },
        'baseline.bare-worker.latency-p99': { value: loads.bare.p99Ms, unit: 'ms' },
        ...turnFigures(
          'baseline.cache-api-worker',
          loads.cacheApi,
          percentOf(loads.cacheApi, loads.bare),
        ),
        ...turnFigures(
          'baseline.r2-stream-worker',
          loads.r2Stream,
          percentOf(loads.r2Stream, loads.bare),
        ),
      });
    }),
  ),
);
