import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageFolder, jpeg, png } from './image-files.ts';
import { freshState } from './run-cli.ts';

let state: Awaited<ReturnType<typeof freshState>>;

beforeAll(async () => {
  state = await freshState();
  await state.cli('sites', 'add', 'gallery', '--host', 'gallery.example');
});
afterAll(() => state.cleanup());

const folderWith = (files: Record<string, Buffer>) => imageFolder(state.dir, files);

async function manifest(site: string) {
  const text = await state.kv(`images:${site}`);
  return JSON.parse(text ?? '{"images":[]}') as {
    images: { key: string; category: string; width: number; height: number }[];
  };
}

describe('wp-edge images sync', () => {
  it('uploads each subfolder as a category, with each image’s size, and skips unchanged files next time', async () => {
    const folder = await folderWith({
      'landscape/sea.png': png(1600, 900, 'sea'),
      'landscape/hills.png': png(1200, 800, 'hills'),
      'portrait/tower.png': png(900, 1600, 'tower'),
    });
    const first = await state.cli('images', 'sync', folder, '--site', 'gallery');
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('[1/3] landscape/hills.png uploaded (1200×800)');
    expect(first.stdout).toContain('uploaded 3, unchanged 0, removed 0; 3 images in the set');
    expect((await manifest('gallery')).images).toContainEqual(
      expect.objectContaining({
        key: 'gallery/portrait/tower.png',
        category: 'portrait',
        width: 900,
        height: 1600,
      }),
    );
    expect(await state.r2('gallery/landscape/sea.png')).toEqual(png(1600, 900, 'sea'));
    const again = await state.cli('images', 'sync', folder, '--site', 'gallery');
    expect(again.stdout).toContain('uploaded 0, unchanged 3, removed 0; 3 images in the set');
  });

  it('records a phone photo stored wide but turned by its EXIF orientation as portrait', async () => {
    const folder = await folderWith({
      'turned.jpg': jpeg(4000, 3000, 6),
      'upright.jpg': jpeg(4000, 3000, 1),
    });
    await state.cli('images', 'sync', folder, '--site', 'gallery', '--category', 'phone');
    const images = (await manifest('gallery')).images.filter((image) => image.category === 'phone');
    expect(images.map(({ key, width, height }) => ({ key, width, height }))).toEqual([
      { key: 'gallery/phone/turned.jpg', width: 3000, height: 4000 },
      { key: 'gallery/phone/upright.jpg', width: 4000, height: 3000 },
    ]);
  });

  it('removes a whole category whose folder is gone when the whole set is synced with --delete', async () => {
    await state.cli('sites', 'add', 'gallery-whole', '--host', 'gallery-whole.example');
    const folder = await folderWith({
      'landscape/sea.png': png(1600, 900, 'whole sea'),
      'portrait/tower.png': png(900, 1600, 'whole tower'),
    });
    await state.cli('images', 'sync', folder, '--site', 'gallery-whole');
    await rm(path.join(folder, 'portrait'), { recursive: true });
    const synced = await state.cli('images', 'sync', folder, '--site', 'gallery-whole', '--delete');
    expect(synced.stdout).toContain('uploaded 0, unchanged 1, removed 1; 1 images in the set');
    expect((await manifest('gallery-whole')).images.map((image) => image.key)).toEqual([
      'gallery-whole/landscape/sea.png',
    ]);
    expect(await state.r2('gallery-whole/portrait/tower.png')).toBeUndefined();
  });

  it('uploads a changed file again, and removes missing ones only when asked', async () => {
    const folder = await folderWith({ 'a.png': png(800, 600, 'a'), 'b.png': png(800, 600, 'b') });
    await state.cli('images', 'sync', folder, '--site', 'gallery', '--category', 'flat');
    await rm(path.join(folder, 'b.png'));
    await writeFile(path.join(folder, 'a.png'), png(1024, 768, 'a, edited'));
    const kept = await state.cli(
      'images',
      'sync',
      folder,
      '--site',
      'gallery',
      '--category',
      'flat',
    );
    expect(kept.stdout).toContain('uploaded 1, unchanged 0, removed 0');
    expect(
      (await manifest('gallery')).images.filter((image) => image.category === 'flat'),
    ).toHaveLength(2);
    const removed = await state.cli(
      'images',
      'sync',
      folder,
      '--site',
      'gallery',
      '--category',
      'flat',
      '--delete',
    );
    expect(removed.stdout).toContain('uploaded 0, unchanged 1, removed 1');
    const flat = (await manifest('gallery')).images.filter((image) => image.category === 'flat');
    expect(flat).toEqual([
      expect.objectContaining({ key: 'gallery/flat/a.png', width: 1024, height: 768 }),
    ]);
  });

  it.each([
    [['sync', 'nowhere', '--site', 'gallery'], 'there is no folder nowhere'],
    [['sync', '.', '--site', 'nobody'], 'there is no site nobody'],
  ])('refuses %j, saying why', async (args, message) => {
    const run = await state.cli('images', ...args);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
  });

  it('refuses a folder name that cannot be a category', async () => {
    const folder = await folderWith({ 'Bad Name/x.png': png(10, 10, 'x') });
    const run = await state.cli('images', 'sync', folder, '--site', 'gallery');
    expect(run.stderr).toContain('folder Bad Name is not a usable category');
  });
});
