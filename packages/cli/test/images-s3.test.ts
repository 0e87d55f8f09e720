import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.ts';
import { s3Uploader } from '../src/images/s3-uploader.ts';
import { imageFolder, png } from './image-files.ts';
import { freshState } from './run-cli.ts';
import { startS3StandIn } from './s3-stand-in.ts';

const BUCKET = 'wp-edge-images';
const ACCESS_KEY_ID = 'stand-in-access-key';
const SECRET = 'stand-in-secret-access-key';

let state: Awaited<ReturnType<typeof freshState>>;
let r2: Awaited<ReturnType<typeof startS3StandIn>>;

beforeAll(async () => {
  state = await freshState();
  // Each answer waits a little, so uploads overlap as they do over the internet.
  r2 = await startS3StandIn({
    bucket: BUCKET,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET,
    delayMs: 15,
  });
});
afterAll(async () => {
  await r2.close();
  await state.cleanup();
});
beforeEach(() => r2.resetCounts());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const folderWith = (files: Record<string, Buffer>) => imageFolder(state.dir, files);

function remoteSync(env: Record<string, string>, ...args: string[]) {
  return state.cliWithEnv(
    {
      R2_ENDPOINT: r2.endpoint,
      R2_ACCESS_KEY_ID: ACCESS_KEY_ID,
      R2_SECRET_ACCESS_KEY: SECRET,
      CLOUDFLARE_ACCOUNT_ID: '',
      ...env,
    },
    '--remote',
    'images',
    'sync',
    ...args,
  );
}

async function manifestKeys(site: string): Promise<string[]> {
  const text = await state.kv(`images:${site}`);
  return (JSON.parse(text ?? '{"images":[]}') as { images: { key: string }[] }).images
    .map((image) => image.key)
    .sort();
}

describe('wp-edge --remote images sync, through R2’s S3 API', () => {
  const files = Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [
      `landscape/photo-${String(i).padStart(2, '0')}.png`,
      // Sizes differ, some past a stream's first chunk, so a cut or reordered body shows.
      png(1600, 900, `photo ${i} ${'x'.repeat(i * 4000)}`),
    ]),
  );
  let folder: string;

  beforeAll(async () => {
    await state.cli('sites', 'add', 'remote-gallery', '--host', 'remote-gallery.example');
    folder = await folderWith(files);
  });

  it('uploads every image byte for byte, with its content type, at most 16 at once', async () => {
    const run = await remoteSync({}, folder, '--site', 'remote-gallery');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('uploaded 40, unchanged 0, removed 0; 40 images in the set');
    for (const [name, bytes] of Object.entries(files)) {
      expect(r2.objects.get(`remote-gallery/${name}`)).toEqual({
        size: bytes.length,
        sha256: sha256(bytes),
        contentType: 'image/png',
      });
    }
    expect(r2.maxInFlight).toBeGreaterThan(1);
    expect(r2.maxInFlight).toBeLessThanOrEqual(16);
    expect(await manifestKeys('remote-gallery')).toEqual(
      Object.keys(files).map((name) => `remote-gallery/${name}`),
    );
    // The local bucket is left alone: the bytes went to the S3 endpoint.
    expect(await state.r2('remote-gallery/landscape/photo-00.png')).toBeUndefined();
  });

  it('sends nothing for unchanged files, and removes missing ones with --delete', async () => {
    const again = await remoteSync({}, folder, '--site', 'remote-gallery');
    expect(again.stdout).toContain('uploaded 0, unchanged 40, removed 0');
    expect(r2.requests).toEqual([]);

    await rm(path.join(folder, 'landscape/photo-00.png'));
    await rm(path.join(folder, 'landscape/photo-01.png'));
    const removed = await remoteSync({}, folder, '--site', 'remote-gallery', '--delete');
    expect(removed.stdout).toContain('uploaded 0, unchanged 38, removed 2; 38 images in the set');
    expect(removed.stdout).toContain('removed landscape/photo-00.png');
    expect(
      r2.requests.map(({ method, key, status }) => `${method} ${key} ${status}`).sort(),
    ).toEqual([
      'DELETE remote-gallery/landscape/photo-00.png 204',
      'DELETE remote-gallery/landscape/photo-01.png 204',
    ]);
    expect(r2.objects.has('remote-gallery/landscape/photo-00.png')).toBe(false);
    expect(await manifestKeys('remote-gallery')).toHaveLength(38);
  });

  it('refuses a wrong secret with a clear error, stops uploading and leaves the manifest as it was', async () => {
    const before = await state.kv('images:remote-gallery');
    const changed = await folderWith({
      'landscape/new-1.png': png(800, 600, 'new 1'),
      'landscape/new-2.png': png(800, 600, 'new 2'),
      ...Object.fromEntries(
        Array.from({ length: 30 }, (_, i) => [`portrait/p-${i}.png`, png(600, 800, `p ${i}`)]),
      ),
    });
    const run = await remoteSync(
      { R2_SECRET_ACCESS_KEY: 'not-the-secret' },
      changed,
      '--site',
      'remote-gallery',
      '--delete',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /R2 refused to store remote-gallery\/\S+ in bucket wp-edge-images: 403 SignatureDoesNotMatch .*check R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY/,
    );
    expect(await state.kv('images:remote-gallery')).toBe(before);
    expect(r2.requests.every((request) => request.status === 403)).toBe(true);
    // The uploads queued behind the first refusal were never sent.
    expect(r2.requests.length).toBeLessThanOrEqual(16);
    expect(r2.objects.size).toBe(38);
  });

  it('names the variables to set, and where to get them, when credentials are missing', async () => {
    const run = await remoteSync(
      { R2_ENDPOINT: '', R2_ACCESS_KEY_ID: '', R2_SECRET_ACCESS_KEY: '' },
      folder,
      '--site',
      'remote-gallery',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'needs R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, CLOUDFLARE_ACCOUNT_ID in the environment',
    );
    expect(run.stderr).toContain('R2 → Manage API tokens');
    expect(r2.requests).toEqual([]);
  });

  it('refuses an R2_ENDPOINT that is not an http(s) URL', async () => {
    const run = await remoteSync({ R2_ENDPOINT: 'r2.example' }, folder, '--site', 'remote-gallery');
    expect(run.stderr).toContain('R2_ENDPOINT must be an http(s) URL, not r2.example');
  });
});

describe('the S3 uploader', () => {
  const access = () => ({
    endpoint: r2.endpoint,
    bucket: BUCKET,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET,
  });

  async function upload(
    name: string,
    bytes: Buffer,
    hash = sha256(bytes),
    to: Partial<ReturnType<typeof access>> = {},
  ) {
    const folder = await folderWith({ [name]: bytes });
    await s3Uploader({ ...access(), ...to }).put({
      key: `unit/${name}`,
      file: path.join(folder, name),
      sha256: hash,
      contentType: 'image/jpeg',
    });
  }

  it('signs keys with spaces, accents and reserved characters as R2 reads them', async () => {
    const bytes = png(10, 10, 'odd name');
    await upload("sea view (été) it's! 100% + more.png", bytes);
    expect(r2.objects.get("unit/sea view (été) it's! 100% + more.png")?.sha256).toBe(sha256(bytes));
  });

  it('tries a 503 again with the file opened anew', async () => {
    const bytes = png(10, 10, `retried ${'y'.repeat(200_000)}`);
    r2.failNext(2);
    await upload('retried.png', bytes);
    expect(r2.requests.map((request) => request.status)).toEqual([503, 503, 200]);
    expect(r2.objects.get('unit/retried.png')?.sha256).toBe(sha256(bytes));
  });

  it('refuses a file whose bytes no longer match the hash the sync read', async () => {
    const error = await upload(
      'edited.png',
      png(10, 10, 'edited'),
      sha256(Buffer.from('before')),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toContain('XAmzContentSHA256Mismatch');
    expect((error as Error).message).toContain('the file changed while it was synced');
    expect(r2.objects.has('unit/edited.png')).toBe(false);
  });

  it('says how to create a bucket that is not there', async () => {
    const error = await upload('a.png', png(1, 1, 'a'), undefined, { bucket: 'other' }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe(
      'R2 refused to store unit/a.png in bucket other: 404 NoSuchBucket (The specified bucket other does not exist.); create it with: npx wrangler r2 bucket create other',
    );
  });

  it('gives up on an endpoint it cannot reach after three tries, saying why', async () => {
    const closed = await startS3StandIn({ ...access(), delayMs: 0 });
    await closed.close();
    const error = await upload('b.png', png(1, 1, 'b'), undefined, {
      endpoint: closed.endpoint,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^could not store unit/b.png in bucket wp-edge-images at ${closed.endpoint} after 3 tries: .*ECONNREFUSED`,
      ),
    );
  });
});
