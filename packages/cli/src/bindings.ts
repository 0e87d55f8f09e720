import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConfigKv, ImageBucket, ProvisionStore } from '@wp-edge/core/provision';
import { drizzle } from 'drizzle-orm/d1';
import { getPlatformProxy, unstable_readConfig } from 'wrangler';
import { CliError } from './errors.ts';
import type { D1Binding } from './migrations.ts';
import type { Target } from './wrangler.ts';

/** The image bucket's calls the CLI makes: `images sync` uploads and deletes, `sites remove` empties. */
export interface ImagesBinding extends ImageBucket {
  put(
    key: string,
    value: Uint8Array,
    options: { httpMetadata: { contentType: string } },
  ): Promise<unknown>;
}

/** The content sync's bucket: `snapshots list` reads it, `sites remove` empties a site's part. */
export interface SyncBinding extends ImageBucket {
  list(options: { prefix: string; cursor?: string }): Promise<{
    objects: { key: string }[];
    truncated: boolean;
    cursor?: string;
  }>;
  get(key: string): Promise<{ json(): Promise<unknown> } | null>;
}

interface Bindings {
  DB: Parameters<typeof drizzle>[0] & D1Binding;
  SITE_CONFIG: ConfigKv;
  IMAGES_BUCKET: ImagesBinding;
  SYNC_BUCKET: SyncBinding;
}

/** Where the CLI's commands act: D1 through the drizzle schema, the site-config KV, the image bucket. */
export interface CliStore extends ProvisionStore {
  images: ImagesBinding;
  sync: SyncBinding;
  /** The D1 binding itself, for applying migrations. */
  d1: D1Binding;
}

/** The image bucket's name and the account the config names, for reaching it through R2's S3 API. */
export function imageBucketConfig(configPath: string): {
  bucket: string;
  accountId: string | undefined;
} {
  const config = unstable_readConfig({ config: configPath });
  const bucket = config.r2_buckets.find(
    (entry: { binding: string; bucket_name?: string }) => entry.binding === 'IMAGES_BUCKET',
  )?.bucket_name;
  if (!bucket) throw new CliError(`${configPath} binds no R2 bucket as IMAGES_BUCKET`);
  return { bucket, accountId: config.account_id };
}

/**
 * The same config with every binding marked `remote`, so wrangler proxies it to the deployed
 * resource (it asks for a login). Untested here: there is no Cloudflare account in CI.
 */
async function remoteConfig(configPath: string, dir: string): Promise<string> {
  const config = unstable_readConfig({ config: configPath });
  const file = path.join(dir, 'wrangler.json');
  await writeFile(
    file,
    JSON.stringify({
      name: config.name,
      compatibility_date: config.compatibility_date,
      d1_databases: config.d1_databases.map((db: object) => ({ ...db, remote: true })),
      kv_namespaces: config.kv_namespaces.map((kv: object) => ({ ...kv, remote: true })),
      r2_buckets: config.r2_buckets.map((bucket: object) => ({ ...bucket, remote: true })),
    }),
  );
  return file;
}

/**
 * Runs `use` with the CLI's bindings, in this process: locally on the state directory
 * `npm run dev` persists to (its `v3` folder, as `--persist-to` names it), or, with
 * `--remote`, on the deployed resources through wrangler's remote bindings.
 */
export async function withStore<T>(
  target: Target,
  use: (store: CliStore) => Promise<T>,
): Promise<T> {
  const dir = target.remote ? await mkdtemp(path.join(tmpdir(), 'wp-edge-remote-')) : undefined;
  const proxy = await getPlatformProxy<Bindings>(
    dir
      ? { configPath: await remoteConfig(target.configPath, dir), persist: false }
      : {
          configPath: target.configPath,
          persist: { path: path.join(target.statePath, 'v3') },
          remoteBindings: false,
        },
  );
  try {
    return await use({
      db: drizzle(proxy.env.DB),
      d1: proxy.env.DB,
      kv: proxy.env.SITE_CONFIG,
      images: proxy.env.IMAGES_BUCKET,
      sync: proxy.env.SYNC_BUCKET,
    });
  } finally {
    await proxy.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
