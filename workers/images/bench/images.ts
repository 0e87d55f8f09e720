// Random image picks per second for each format, in workerd driven through the Miniflare
// API with local KV and R2, each measured in turns with a bare Worker running beside it (the
// ratio); the proxy also against a bare Worker streaming an R2 object of the same size and type.
import { imageManifestKey } from '@wp-edge/core';
import {
  BARE_WORKER,
  type Figure,
  measureInTurns,
  percentOf,
  R2_STREAM_BUCKET,
  R2_STREAM_WORKER,
  type RunningWorkers,
  recordFigures,
  turnFigures,
  withWorkers,
  workerOptions,
} from '@wp-edge/workerd-kit';

const IMAGES = 200;
const IMAGE_BYTES = 4096;

async function seed(workers: RunningWorkers): Promise<void> {
  const kv = await workers.miniflare.getKVNamespace('SITE_CONFIG');
  const bucket = await workers.miniflare.getR2Bucket('IMAGES_BUCKET');
  const site = {
    id: 'bench',
    hosts: ['127.0.0.1'],
    settings: {},
    nodes: [],
    publishedAt: new Date().toISOString(),
  };
  await kv.put('host:127.0.0.1', JSON.stringify(site));
  const images = [];
  for (let i = 0; i < IMAGES; i++) {
    const key = `bench/${i % 2 ? 'landscape' : 'portrait'}/${i}.jpg`;
    await bucket.put(key, new Uint8Array(IMAGE_BYTES).fill(i % 256), {
      httpMetadata: { contentType: 'image/jpeg' },
    });
    images.push({
      id: i.toString(16).padStart(20, '0'),
      key,
      category: i % 2 ? 'landscape' : 'portrait',
      width: i % 2 ? 1600 : 900,
      height: i % 2 ? 900 : 1600,
      contentType: 'image/jpeg',
      size: IMAGE_BYTES,
      sha256: '0'.repeat(64),
    });
  }
  await kv.put(
    imageManifestKey('bench'),
    JSON.stringify({ siteId: 'bench', updatedAt: new Date().toISOString(), images }),
  );
}

await withWorkers([BARE_WORKER], (bare) =>
  withWorkers([R2_STREAM_WORKER], async (r2) => {
    const bucket = await r2.miniflare.getR2Bucket(R2_STREAM_BUCKET);
    await bucket.put('bench/landscape/1.jpg', new Uint8Array(IMAGE_BYTES).fill(1), {
      httpMetadata: { contentType: 'image/jpeg' },
    });
    await withWorkers([await workerOptions('images')], async (images) => {
      await seed(images);
      const pick = (format: string) => ({
        label: `${format} picks`,
        url: new URL(`/api/random-image?format=${format}&category=landscape`, images.url).href,
      });
      const loads = await measureInTurns({
        bare: { label: 'the bare Worker (baseline)', url: bare.url.href },
        r2Stream: {
          label: 'the bare R2 streaming Worker (baseline)',
          url: new URL('/bench/landscape/1.jpg', r2.url).href,
        },
        redirect: pick('redirect'),
        json: pick('json'),
        proxy: pick('proxy'),
      });
      const figures: Record<string, Figure> = {
        'images.bare-worker.throughput': {
          value: Math.round(loads.bare.requestsPerSecond),
          unit: 'req/s',
        },
        'images.bare-r2-stream.throughput': {
          value: Math.round(loads.r2Stream.requestsPerSecond),
          unit: 'req/s',
        },
        'images.pick-proxy.vs-r2-stream': {
          value: percentOf(loads.proxy, loads.r2Stream),
          unit: '%',
        },
      };
      for (const format of ['redirect', 'json', 'proxy'] as const)
        Object.assign(
          figures,
          turnFigures(
            `images.pick-${format}`,
            loads[format],
            percentOf(loads[format], loads.bare),
            'vs-bare',
            'picks/s',
          ),
        );
      await recordFigures(figures);
    });
  }),
);
