import type { DrizzleD1Database } from 'drizzle-orm/d1';

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
 * Where sites, nodes and keys are provisioned: the D1 database (through the drizzle schema)
 * and the site-config KV namespace their snapshots are published to. The CLI passes its
 * bindings, a test passes its Worker's `env`.
 */
export interface ProvisionStore {
  db: DrizzleD1Database;
  kv: ConfigKv;
  /** The image bucket; without it a removed site's image files stay in R2. */
  images?: ImageBucket;
}

/** A refusal with a message that says what to do, e.g. "there is no site blog". */
export class ProvisionError extends Error {
  override name = 'ProvisionError';
}
