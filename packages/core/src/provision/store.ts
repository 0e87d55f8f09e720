import { type DrizzleD1Database, drizzle } from 'drizzle-orm/d1';

/** The KV calls provisioning makes; a Workers KV namespace binding (or its local proxy) has them. */
export interface ConfigKv {
  get(key: string, type: 'text'): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The R2 calls removing a site makes on the image bucket. */
export interface ImageBucket {
  list(options: { prefix: string; cursor?: string }): Promise<{
    objects: { key: string }[];
    truncated: boolean;
    cursor?: string;
  }>;
  delete(keys: string[]): Promise<void>;
}

/**
 * The Durable Objects that keep a site's state in the Workers (view counts, node health,
 * cache purges): `wipe` empties every one of them and answers, per object, the rows left.
 */
export interface SiteState {
  wipe(siteId: string): Promise<Record<string, number>[]>;
}

/**
 * Where sites, nodes and keys are provisioned: the D1 database (through the drizzle schema)
 * and the site-config KV namespace their snapshots are published to. The CLI passes its
 * bindings, a test passes its Worker's `env`.
 */
export interface ProvisionStore {
  db: DrizzleD1Database;
  kv: ConfigKv;
  /** The image bucket; without it a removed site's image files stay in R2. */
  images?: ImageBucket;
  /** The content sync's bucket; without it a removed site's generations and blobs stay in R2. */
  sync?: ImageBucket;
  /** The site's Durable Objects; without them their state stays (db/README.md says what). */
  siteState?: SiteState;
}

/** A refusal with a message that says what to do, e.g. "there is no site blog". */
export class ProvisionError extends Error {
  override name = 'ProvisionError';
}

/**
 * A store on a D1 binding and a KV namespace binding: a Worker's `env`, a test's
 * Miniflare bindings or the CLI's platform proxy.
 * @example
 * await createSite(bindingStore(env.DB, env.SITE_CONFIG), { id: 'blog', hosts: ['blog.example'] });
 */
export function bindingStore(
  d1: Parameters<typeof drizzle>[0],
  kv: ConfigKv,
  images?: ImageBucket,
): ProvisionStore {
  return { db: drizzle(d1), kv, ...(images ? { images } : {}) };
}
