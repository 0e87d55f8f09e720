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
  /** Sent to the site's nodes in `X-WP-Edge-Origin-Secret`, so they can refuse traffic that bypassed the edge. */
  originSecret: text('origin_secret'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  /** When the router's cron started the site's NodeRegistry probing its nodes (ms); null until then. */
  probesStartedAt: integer('probes_started_at'),
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

/** Every comment accepted at the edge, as it stands now. Documented in db/README.md. */
export const comments = sqliteTable(
  'comments',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id').notNull(),
    postId: integer('post_id').notNull(),
    parentWpId: integer('parent_wp_id').notNull().default(0),
    author: text('author').notNull(),
    authorEmail: text('author_email').notNull(),
    authorUrl: text('author_url').notNull(),
    content: text('content').notNull(),
    authorIp: text('author_ip').notNull(),
    /** What the flood and rate rules count by: the address, or an IPv6 address's /64 (`addressKey`). */
    addressKey: text('address_key').notNull().default(''),
    userAgent: text('user_agent').notNull(),
    status: text('status', { enum: ['approved', 'held', 'spam', 'trash'] }).notNull(),
    /** SHA-256 of post, author, email and content: WordPress's duplicate rule as an index. */
    dedupeKey: text('dedupe_key'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    // Two identical posts at once (a double click) cannot both pass the duplicate check.
    uniqueIndex('comments_no_duplicates').on(t.siteId, t.dedupeKey).where(sql`status <> 'trash'`),
    index('comments_by_address').on(t.siteId, t.addressKey, t.createdAt),
    index('comments_by_post').on(t.siteId, t.postId),
    index('comments_by_email').on(t.siteId, t.authorEmail, t.status),
  ],
);

/** Each site's comment log: what every node applies, in `seq` order. */
export const commentLog = sqliteTable(
  'comment_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    siteId: text('site_id').notNull(),
    commentId: text('comment_id').notNull(),
    type: text('type', { enum: ['created', 'moderated'] }).notNull(),
    payload: text('payload', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('comment_log_site').on(t.siteId, t.seq)],
);

/** The posts of each site as its primary node published them. */
export const catalogPosts = sqliteTable(
  'catalog_posts',
  {
    siteId: text('site_id').notNull(),
    postId: integer('post_id').notNull(),
    status: text('status').notNull(),
    commentStatus: text('comment_status').notNull(),
    permalink: text('permalink').notNull(),
    /** The post has a password: the edge cannot check a reader's, so it holds their comments. */
    passwordProtected: integer('password_protected', { mode: 'boolean' }).notNull().default(false),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.postId] })],
);

/** The WordPress comments of each site (ids in the primary's numbering), for checking parents. */
export const catalogComments = sqliteTable(
  'catalog_comments',
  {
    siteId: text('site_id').notNull(),
    wpId: integer('wp_id').notNull(),
    postId: integer('post_id').notNull(),
    approved: text('approved').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.wpId] })],
);

/** Per site: the WordPress address its primary reported (cookie names derive from it). */
export const catalogSites = sqliteTable('catalog_sites', {
  siteId: text('site_id').primaryKey(),
  siteUrl: text('site_url').notNull(),
  /** WordPress's locale on the primary (`get_locale()`: the `WPLANG` option, `en_US` when empty), Akismet's `blog_lang`. */
  locale: text('locale'),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * The owner's verdicts Akismet did not take (unreachable, or a 5xx): the comments Worker's Cron
 * sends them again, backing off, until Akismet takes them or a day has gone by. Only ids: the
 * fields are read again from the comment at each try.
 */
export const akismetOutbox = sqliteTable(
  'akismet_outbox',
  {
    siteId: text('site_id').notNull(),
    commentId: text('comment_id').notNull(),
    verdict: text('verdict', { enum: ['spam', 'ham'] }).notNull(),
    attempts: integer('attempts').notNull(),
    firstFailedAt: integer('first_failed_at').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.commentId, t.verdict] }),
    index('akismet_outbox_due').on(t.nextAttemptAt),
  ],
);

/** Per site: how far its comment log has been pruned; a node whose cursor is below that missed entries. */
export const logRetention = sqliteTable('log_retention', {
  siteId: text('site_id').primaryKey(),
  prunedThrough: integer('pruned_through').notNull(),
  prunedAt: integer('pruned_at').notNull(),
});

/** Nodes whose owner has been told they fall behind the comment log, until they catch up. */
export const nodeAlerts = sqliteTable('node_alerts', {
  nodeId: text('node_id').primaryKey(),
  siteId: text('site_id').notNull(),
  alertedAt: integer('alerted_at').notNull(),
});

/** The log position each node last reported having applied (for lag and retention). */
export const nodeCursors = sqliteTable('node_cursors', {
  nodeId: text('node_id').primaryKey(),
  siteId: text('site_id').notNull(),
  cursor: integer('cursor').notNull(),
  reportedAt: integer('reported_at').notNull(),
});

/** Which WordPress id each node's database gave each edge comment, as its agent reported. */
export const commentLocations = sqliteTable(
  'comment_locations',
  {
    nodeId: text('node_id').notNull(),
    wpId: integer('wp_id').notNull(),
    commentId: text('comment_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.wpId] })],
);

/**
 * Sites removed by a caller that cannot reach the Workers' Durable Objects (the CLI): the
 * router's cron empties each one's objects (views, node health, purges), then drops its row.
 */
export const siteRemovals = sqliteTable('site_removals', {
  siteId: text('site_id').primaryKey(),
  removedAt: integer('removed_at').notNull(),
});

/** Per site and minute, how many of each edge event (requests by route, comment outcomes). Documented in db/README.md. */
export const edgeFigures = sqliteTable(
  'edge_figures',
  {
    siteId: text('site_id').notNull(),
    /** Minutes since the Unix epoch (UTC). */
    minute: integer('minute').notNull(),
    /** What was counted: `route.primary`, `cache.hit`, `comment.refused.flood`, … */
    name: text('name').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.minute, t.name] }),
    index('edge_figures_minute').on(t.minute),
  ],
);

/** Tokens the CLI issued for reading a site's status page, kept as SHA-256 only. */
export const statusTokens = sqliteTable(
  'status_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    siteId: text('site_id').notNull(),
    label: text('label').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Null for a token that lasts until it is revoked. */
    expiresAt: integer('expires_at'),
  },
  (t) => [index('status_tokens_site').on(t.siteId)],
);
