// `wp-edge images sync` of 1,000 images into a fresh local state (Miniflare's R2 and KV through
// the platform proxy, as the CLI's local target), beside a baseline measured in the same run:
// the same files put one after another, each read whole first, as the command used to.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createSite } from '@wp-edge/core/provision';
import { BenchFailure, recordFigures } from '@wp-edge/workerd-kit';
import { syncImages } from '../src/images/sync.ts';
import { png } from '../test/image-files.ts';
import { freshState } from '../test/run-cli.ts';

const IMAGES = 1_000;

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
  await createSite(state.store, { id: 'gallery', hosts: ['gallery.example'] });

  let started = performance.now();
  for (const file of files)
    await state.store.images.put(`baseline/${path.basename(file)}`, await readFile(file), {
      httpMetadata: { contentType: 'image/png' },
    });
  const sequentialMs = performance.now() - started;

  started = performance.now();
  const result = await syncImages(state.store, folder, {
    site: 'gallery',
    delete: false,
    progress: () => {},
  });
  const syncMs = performance.now() - started;
  if (result.uploaded !== IMAGES)
    throw new BenchFailure(`images sync uploaded ${result.uploaded} of ${IMAGES} images`);

  await recordFigures({
    'cli.images-sync.1000-images': { value: syncMs / 1000, unit: 's' },
    'cli.images-sync.sequential-puts-baseline': { value: sequentialMs / 1000, unit: 's' },
    'cli.images-sync.speed-vs-sequential': { value: sequentialMs / syncMs, unit: '×' },
  });
} finally {
  await state.cleanup();
}
