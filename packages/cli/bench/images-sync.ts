// `wp-edge images sync` of 1,000 images, each beside a baseline measured in the same run:
// - into a fresh local state (Miniflare's R2 and KV through the platform proxy, as the CLI's
//   local target), against the same files put one after another, each read whole first;
// - through the S3 uploader `--remote` uses, into a loopback stand-in of R2's S3 API that
//   checks every signature and hashes every body, against the same files hashed and put one
//   after another through the same uploader. The stand-in answers at once, and then again
//   after a 20 ms wait (a round trip to R2 from afar), where requests in flight count.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createSite } from '@wp-edge/core/provision';
import { BenchFailure, recordFigures } from '@wp-edge/workerd-kit';
import { s3Uploader } from '../src/images/s3-uploader.ts';
import { syncImages } from '../src/images/sync.ts';
import { bindingUploader, type ImageUploader } from '../src/images/uploader.ts';
import { png } from '../test/image-files.ts';
import { freshState } from '../test/run-cli.ts';
import { startS3StandIn } from '../test/s3-stand-in.ts';

const IMAGES = 1_000;
const ROUND_TRIP_MS = 20;

const state = await freshState();
try {
  const folder = path.join(state.dir, 'images');
  await mkdir(path.join(folder, 'landscape'), { recursive: true });
  const files = Array.from({ length: IMAGES }, (_, i) =>
    path.join(folder, 'landscape', `photo-${String(i).padStart(4, '0')}.png`),
  );
  // Each 64 KiB, so reading, hashing and moving the bytes count, not only the calls.
  const filler = Buffer.alloc(64 * 1024, 7).toString('latin1');
  await Promise.all(files.map((file, i) => writeFile(file, png(1600, 900, `${i} ${filler}`))));

  /** Seconds for a whole sync of the folder into a site of its own. */
  async function sync(site: string, uploader: ImageUploader): Promise<number> {
    await createSite(state.store, { id: site, hosts: [`${site}.example`] });
    const started = performance.now();
    const result = await syncImages(state.store, uploader, folder, {
      site,
      delete: false,
      progress: () => {},
    });
    if (result.uploaded !== IMAGES)
      throw new BenchFailure(`images sync uploaded ${result.uploaded} of ${IMAGES} images`);
    return (performance.now() - started) / 1000;
  }

  const started = performance.now();
  for (const file of files)
    await state.store.images.put(`baseline/${path.basename(file)}`, await readFile(file), {
      httpMetadata: { contentType: 'image/png' },
    });
  const sequential = (performance.now() - started) / 1000;
  const local = await sync('gallery', bindingUploader(state.store.images));

  /** A sync through the S3 uploader, and its baseline, against a stand-in answering so late. */
  async function s3(site: string, delayMs: number) {
    const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench-secret' };
    const r2 = await startS3StandIn({ bucket: 'wp-edge-images', ...credentials, delayMs });
    try {
      const uploader = s3Uploader({
        endpoint: r2.endpoint,
        bucket: 'wp-edge-images',
        ...credentials,
      });
      const begun = performance.now();
      for (const file of files) {
        const bytes = await readFile(file);
        await uploader.put({
          key: `baseline/${path.basename(file)}`,
          file,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          contentType: 'image/png',
        });
      }
      const baseline = (performance.now() - begun) / 1000;
      const synced = await sync(site, uploader);
      if (r2.objects.size !== 2 * IMAGES)
        throw new BenchFailure(`the stand-in holds ${r2.objects.size} of ${2 * IMAGES} objects`);
      return { baseline, synced, inFlight: r2.maxInFlight };
    } finally {
      await r2.close();
    }
  }
  const atOnce = await s3('gallery-s3', 0);
  const afar = await s3('gallery-s3-rtt', ROUND_TRIP_MS);

  await recordFigures({
    'cli.images-sync.1000-images': { value: local, unit: 's' },
    'cli.images-sync.sequential-puts-baseline': { value: sequential, unit: 's' },
    'cli.images-sync.speed-vs-sequential': { value: sequential / local, unit: '×' },
    'cli.images-sync.s3-1000-images': { value: atOnce.synced, unit: 's' },
    'cli.images-sync.s3-sequential-baseline': { value: atOnce.baseline, unit: 's' },
    'cli.images-sync.s3-speed-vs-sequential': { value: atOnce.baseline / atOnce.synced, unit: '×' },
    'cli.images-sync.s3-20ms-1000-images': { value: afar.synced, unit: 's' },
    'cli.images-sync.s3-20ms-sequential-baseline': { value: afar.baseline, unit: 's' },
    'cli.images-sync.s3-20ms-speed-vs-sequential': {
      value: afar.baseline / afar.synced,
      unit: '×',
    },
    'cli.images-sync.s3-max-in-flight': { value: afar.inFlight, unit: 'requests' },
  });
} finally {
  await state.cleanup();
}
