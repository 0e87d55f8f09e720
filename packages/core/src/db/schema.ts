import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

/** One WordPress site (blog) served by the edge. Documented in db/README.md. */
export const sites = sqliteTable('sites', {
  id: text('id').primaryKey(),
  name: text('name'),
  settings: text('settings', { mode: 'json' }).notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** The host names a site answers to; a host belongs to exactly one site. */
export const siteHosts = sqliteTable(
  'site_hosts',
  {
    host: text('host').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
  },
  (t) => [index('site_hosts_site').on(t.siteId)],
);

/** An origin node of a site; at most one per site is the primary. */
export const nodes = sqliteTable(
  'nodes',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    originUrl: text('origin_url').notNull(),
    role: text('role', { enum: ['primary', 'secondary'] }).notNull(),
    weight: integer('weight').notNull().default(100),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('nodes_site').on(t.siteId),
    uniqueIndex('nodes_one_primary').on(t.siteId).where(sql`role = 'primary'`),
    check('nodes_role', sql`role IN ('primary', 'secondary')`),
  ],
);

/** A node's signing keys; a rotated key stays valid until `expires_at`. */
export const nodeKeys = sqliteTable(
  'node_keys',
  {
    id: text('id').primaryKey(),
    nodeId: text('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    secret: text('secret').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('node_keys_node').on(t.nodeId)],
);

/** Nonces of accepted signed requests, kept until their replay window has passed. */
export const requestNonces = sqliteTable(
  'request_nonces',
  {
    keyId: text('key_id').notNull(),
    nonce: text('nonce').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.nonce] }),
    index('request_nonces_expiry').on(t.expiresAt),
  ],
);
