// Random image picks per second for each format, in workerd driven through the Miniflare
// API with local KV and R2, against a bare Worker measured in the same run (the ratio).
import { imageManifestKey } from '@wp-edge/core';
import {
  BARE_WORKER,
  type Figure,
  loadFigures,
  measureLoad,
  type RunningWorkers,
  recordFigures,
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

const baseline = await withWorkers([BARE_WORKER], (workers) =>
  measureLoad({ label: 'the bare Worker (baseline)', url: workers.url.href }),
);
const figures: Record<string, Figure> = {
  'images.bare-worker.throughput': { value: Math.round(baseline.requestsPerSecond), unit: 'req/s' },
};
await withWorkers([await workerOptions('images')], async (workers) => {
  await seed(workers);
  for (const format of ['redirect', 'json', 'proxy'] as const) {
    const load = await measureLoad({
      label: `${format} picks`,
      url: new URL(`/api/random-image?format=${format}&category=landscape`, workers.url).href,
    });
    Object.assign(figures, loadFigures(`images.pick-${format}`, load, baseline, 'picks/s'));
  }
});
await recordFigures(figures);
