import { z } from 'zod';
import { NodeId, SiteId } from './site.ts';

/** The secret a node signs its requests to the edge with. */
export const NodeSecret = z
  .string()
  .min(32, { error: 'secret must be at least 32 characters; print a fresh one with the CLI' });

/** How the agent copies the edge's view counts into post meta for themes and widgets. */
export const ViewsSyncConfig = z.object({
  /** The post meta key themes read; `views` is WP-PostViews' and many themes'. */
  metaKey: z
    .string()
    .min(1)
    .max(255, { error: 'views.metaKey must be at most 255 characters' })
    .default('views'),
  intervalSeconds: z
    .number()
    .int()
    .min(10, { error: 'views.intervalSeconds must be at least 10' })
    .default(300),
  batchSize: z
    .number()
    .int()
    .min(1)
    .max(100, { error: 'views.batchSize must be between 1 and 100' })
    .default(100),
});
export type ViewsSyncConfig = z.infer<typeof ViewsSyncConfig>;

/** Where the agent serves its Prometheus metrics (`GET /metrics`); port 0 turns them off. */
export const AgentMetricsConfig = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z
    .number()
    .int()
    .min(0, { error: 'metrics.port must be between 0 (off) and 65535' })
    .max(65_535, { error: 'metrics.port must be between 0 (off) and 65535' })
    .default(9469),
});
export type AgentMetricsConfig = z.infer<typeof AgentMetricsConfig>;

/** The systemd unit's `StateDirectory` (`/var/lib/wp-edge-agent`), readable by the agent alone. */
export const DEFAULT_KEPT_DIR = '/var/lib/wp-edge-agent/kept';
/** Where an import keeps the chunks of the generation it loaded, in the same state folder. */
export const DEFAULT_CACHE_DIR = '/var/lib/wp-edge-agent/chunks';

/** A path's segments with `.` and `..` resolved (POSIX; core runs where `node:path` may not). */
function segments(file: string): string[] {
  const resolved: string[] = [];
  for (const part of file.split('/'))
    if (part === '..') resolved.pop();
    else if (part !== '' && part !== '.') resolved.push(part);
  return resolved;
}

/** Whether `file` is `folder` or somewhere under it. */
function insideFolder(file: string, folder: string): boolean {
  const outer = segments(folder);
  const inner = segments(file);
  return outer.length <= inner.length && outer.every((part, i) => inner[i] === part);
}

/**
 * Content sync (workers/sync): where this node's `wp-content` is, and what stays the node's
 * own. Without it the agent neither publishes nor imports content.
 */
export const ContentSyncConfig = z
  .object({
    /** The node's `wp-content` folder (Debian's WordPress: /var/lib/wordpress/wp-content). */
    contentDir: z.string().min(1, { error: 'sync.contentDir must name the wp-content folder' }),
    /** Options (`wp_options` names) an import leaves as this node has them. */
    keepOptions: z
      .array(
        z.string().min(1).max(191, { error: 'sync.keepOptions names are at most 191 characters' }),
      )
      .default([]),
    /**
     * Where the node keeps its own database before an import replaces it (a standby's edits):
     * never under `contentDir`, which the web server serves.
     */
    keptDir: z
      .string()
      .startsWith('/', { error: 'sync.keptDir must be an absolute path' })
      .default(DEFAULT_KEPT_DIR),
    /**
     * Where an import keeps the table chunks it loaded, so the next downloads only the chunks
     * that changed: never under `contentDir` either, for the same reason.
     */
    cacheDir: z
      .string()
      .startsWith('/', { error: 'sync.cacheDir must be an absolute path' })
      .default(DEFAULT_CACHE_DIR),
    /** How often the primary looks for changes, and other nodes for a new generation. */
    pollSeconds: z
      .number()
      .int()
      .min(1, { error: 'sync.pollSeconds must be between 1 and 3600' })
      .max(3600, { error: 'sync.pollSeconds must be between 1 and 3600' })
      .default(2),
  })
  .refine((sync) => !insideFolder(sync.keptDir, sync.contentDir), {
    path: ['keptDir'],
    error:
      'sync.keptDir must be outside sync.contentDir: the web server serves wp-content, and a kept database holds the users and their password hashes',
  })
  .refine((sync) => !insideFolder(sync.cacheDir, sync.contentDir), {
    path: ['cacheDir'],
    error:
      'sync.cacheDir must be outside sync.contentDir: the web server serves wp-content, and the cached chunks hold the users and their password hashes',
  });
export type ContentSyncConfig = z.infer<typeof ContentSyncConfig>;

/** The origin agent's configuration, as `wp-edge nodes agent-config` prints it. */
export const AgentConfig = z.object({
  edgeUrl: z.url({ protocol: /^https?$/, error: 'edgeUrl must be an http:// or https:// URL' }),
  siteId: SiteId,
  nodeId: NodeId,
  /** This node's own WordPress address, checked by each heartbeat (optional). */
  wordpressUrl: z
    .url({ protocol: /^https?$/, error: 'wordpressUrl must be an http:// or https:// URL' })
    .optional(),
  keyId: z.string().min(1, { error: 'keyId is required' }),
  secret: NodeSecret,
  database: z.object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65_535).default(3306),
    user: z.string().min(1),
    password: z.string().default(''),
    name: z.string().min(1),
    tablePrefix: z
      .string()
      .regex(/^[A-Za-z0-9_]+$/, { error: 'tablePrefix may hold only letters, digits and _' })
      .default('wp_'),
  }),
  views: ViewsSyncConfig.prefault({}),
  metrics: AgentMetricsConfig.prefault({}),
  sync: ContentSyncConfig.optional(),
});
export type AgentConfig = z.infer<typeof AgentConfig>;
