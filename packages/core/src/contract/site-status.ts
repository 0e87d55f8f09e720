import { z } from 'zod';

/** The reserved path of a site's status page, on the site's own host; `.json` for programs. */
export const STATUS_PATH = '/__wp-edge/status';

/** The cookie the status page keeps a token in, sent back only to the status page. */
export const STATUS_TOKEN_COOKIE = '__Secure-wp_edge_status';

const Change = z.object({ at: z.iso.datetime(), up: z.boolean(), reason: z.string() });

/** One node as `wp-edge status` and the status page show it. */
export const NodeStatus = z.object({
  id: z.string(),
  role: z.enum(['primary', 'secondary']),
  weight: z.number(),
  up: z.boolean(),
  /** Null for a node nothing has checked yet (it counts as up). */
  since: z.iso.datetime().nullable(),
  reason: z.string(),
  lastHeartbeat: z.iso.datetime().nullable(),
  heartbeatAgeSeconds: z.number().nullable(),
  /** Comment-log entries the node has yet to apply, and how old the oldest is; null before its first cursor. */
  lag: z.object({ entries: z.number().nullable(), seconds: z.number().nullable() }),
  quarantined: z.number().nullable(),
  viewsCopiedAt: z.iso.datetime().nullable(),
  /** The content generation it serves (content sync) and how old that is; null before its first. */
  content: z.object({
    generation: z.string().nullable(),
    ageSeconds: z.number().nullable(),
  }),
  /** Its changes of state in the last 24 h, newest first. */
  changes: z.array(Change),
});
export type NodeStatus = z.infer<typeof NodeStatus>;

/**
 * What an owner is alerted of: a node down, the primary down, every node down, a quarantine
 * growing, a node's content behind the primary's, a failing content sync, and (told once, never
 * recovering) a node's own edits kept before an import replaced them.
 */
export const ALERT_KINDS = [
  'node-down',
  'primary-down',
  'all-down',
  'quarantine',
  'content-behind',
  'sync-failed',
  'edits-kept',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** An alert period; a one-time notice (`edits-kept`) closes when it opens. */
export const AlertPeriod = z.object({
  kind: z.enum(ALERT_KINDS),
  nodeId: z.string().optional(),
  detail: z.string(),
  openedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().optional(),
});

/** A webhook or email delivery of an alert that failed. */
export const DeliveryFailure = z.object({
  at: z.iso.datetime(),
  host: z.string(),
  event: z.string(),
  error: z.string(),
  attempt: z.number(),
  gaveUp: z.boolean(),
});

/** `GET /__wp-edge/status.json`: everything the status page shows, for `wp-edge status`. */
export const SiteStatus = z.object({
  site: z.string(),
  generatedAt: z.iso.datetime(),
  /** Every node up: what `wp-edge status` turns into its exit code. */
  healthy: z.boolean(),
  nodes: z.array(NodeStatus),
  /** Alert periods open at any time in the last 24 h, oldest first. */
  alerts: z.array(AlertPeriod),
  deliveryFailures: z.array(DeliveryFailure),
  /** Edge figures of the last 24 h per minute (db/README.md: `edge_figures`). */
  figures: z.array(z.object({ minute: z.number(), name: z.string(), count: z.number() })),
  comments: z.object({
    held: z.number(),
    latestHeld: z.array(
      z.object({
        postId: z.number(),
        author: z.string(),
        excerpt: z.string(),
        at: z.iso.datetime(),
      }),
    ),
  }),
  /** Null when the views Worker did not answer. */
  views: z
    .object({
      today: z.number(),
      top: z.array(
        z.object({ postId: z.number(), views: z.number(), permalink: z.string().nullable() }),
      ),
    })
    .nullable(),
});
export type SiteStatus = z.infer<typeof SiteStatus>;
