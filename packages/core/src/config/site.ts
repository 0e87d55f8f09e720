import { z } from 'zod';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HOST_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A site's id: a short slug chosen by the operator, such as `blog`. */
export const SiteId = z.string().regex(SLUG, {
  error: 'site id must be 1-63 lowercase letters, digits or dashes (not at either end)',
});
export type SiteId = z.infer<typeof SiteId>;

/** A node's id, unique across all sites, such as `blog-home`. */
export const NodeId = z.string().regex(SLUG, {
  error: 'node id must be 1-63 lowercase letters, digits or dashes (not at either end)',
});
export type NodeId = z.infer<typeof NodeId>;

/** A host name a site answers to, lowercased, without scheme, port or path. */
export const HostName = z.string().trim().toLowerCase().regex(HOST_NAME, {
  error: 'host must be a bare host name such as blog.example.com (no scheme, port or path)',
});
export type HostName = z.infer<typeof HostName>;

/** The address the edge fetches a node at: http(s), no credentials, no query or fragment. */
export const OriginUrl = z
  .url({ protocol: /^https?$/, error: 'origin must be an http:// or https:// URL' })
  .refine((value) => {
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  }, 'origin must not contain credentials, a query or a fragment')
  .transform((value) => value.replace(/\/+$/, ''));
export type OriginUrl = z.infer<typeof OriginUrl>;

export const NodeRole = z.enum(['primary', 'secondary'], {
  error: 'role must be "primary" or "secondary"',
});
export type NodeRole = z.infer<typeof NodeRole>;

export const NodeWeight = z
  .number()
  .int()
  .min(0, { error: 'weight must be between 0 and 1000' })
  .max(1000, { error: 'weight must be between 0 and 1000' });

/** A node as the operator declares it: where it is and what it does. */
export const NodeConfig = z.object({
  id: NodeId,
  originUrl: OriginUrl,
  role: NodeRole.default('secondary'),
  weight: NodeWeight.default(100),
});
export type NodeConfig = z.infer<typeof NodeConfig>;

/** Where the site owner hears of new comments, and in which body format. */
export const CommentWebhook = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'webhook url must be an http:// or https:// URL' }),
    format: z
      .enum(['json', 'slack', 'telegram'], {
        error: 'webhook format must be json, slack or telegram',
      })
      .default('json'),
    /** Telegram's chat to post to (its Bot API needs it in the body). */
    chatId: z.string().min(1).optional(),
  })
  .refine((webhook) => webhook.format !== 'telegram' || webhook.chatId !== undefined, {
    path: ['chatId'],
    error: 'a telegram webhook needs chatId, the chat its bot posts to',
  });
export type CommentWebhook = z.infer<typeof CommentWebhook>;

/** A locale as WordPress names it (`get_locale()`): `en_US`, `de_DE`, `de_DE_formal`. */
export const WordPressLocale = z.string().regex(/^[a-z]{2,3}(?:_[A-Z]{2})?(?:_[a-z0-9]+)?$/, {
  error: 'must be a WordPress locale such as en_US or de_DE',
});

const CommentSettings = z.object({
  requireNameEmail: z.boolean().default(true),
  floodIntervalSeconds: z.number().int().min(0).max(3600).default(15),
  /** At most this many comments per address in `rateLimitWindowSeconds`; 0 turns it off. */
  rateLimitCount: z.number().int().min(0).max(1000).default(10),
  rateLimitWindowSeconds: z.number().int().min(1).max(86_400).default(3600),
  /** A comment with more links than this is held for moderation. */
  maxLinks: z.number().int().min(0).max(100).default(2),
  /** `auto` approves, `hold-all` holds every comment, `approve-returning` approves authors with an approved comment. */
  moderation: z.enum(['auto', 'hold-all', 'approve-returning']).default('approve-returning'),
  turnstileSecret: z.string().min(1).optional(),
  /** The widget's `data-action`; when set, a token solved for another action is refused. */
  turnstileAction: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, {
      error:
        'comments.turnstileAction must be 1-32 letters, digits, _ or - (as the widget takes it)',
    })
    .optional(),
  honeypotField: z.string().min(1).optional(),
  /** The site's Akismet API key: each comment is checked with Akismet's `comment-check`, and the owner's spam and not-spam verdicts are sent back. */
  akismetKey: z.string().min(1).optional(),
  /** The blog's language as WordPress names it (`get_locale()`, such as `en_US`), sent to Akismet as `blog_lang`; the primary's own locale (the agent reports it) when unset. */
  akismetBlogLang: WordPressLocale.optional(),
  /** Readers may ask to be mailed when someone replies to their comment (the WordPress plugin sends the mail on the primary). */
  replyNotifications: z.boolean().default(false),
  /**
   * How the primary's plugin sends reply notifications: `wordpress` through the site's own mail
   * (`wp_mail`), `email-binding` handed to the comments Worker, which sends them through its
   * Cloudflare `send_email` binding (for a site with no working mail).
   */
  replyNotificationsVia: z
    .enum(['wordpress', 'email-binding'], {
      error: 'comments.replyNotificationsVia must be wordpress or email-binding',
    })
    .default('wordpress'),
  /** The sender of reply notifications sent through the `send_email` binding (an address on a domain onboarded to Email Sending); `wordpress@<the site's first host, without www.>` when unset. */
  replyNotificationsFrom: z
    .email({ error: 'comments.replyNotificationsFrom must be an email address' })
    .optional(),
  webhooks: z.array(CommentWebhook).default([]),
  /** Which new comments the webhooks hear of. */
  notify: z.enum(['all', 'held']).default('all'),
  /** The webhooks hear when a node has left a log entry unapplied for this long, and when it caught up. */
  lagAlertMinutes: z
    .number()
    .int()
    .min(1, { error: 'comments.lagAlertMinutes must be between 1 and 1440' })
    .max(1440, { error: 'comments.lagAlertMinutes must be between 1 and 1440' })
    .default(15),
  /** Log entries every node has applied are pruned once they are this old. */
  logRetentionDays: z
    .number()
    .int()
    .min(1, { error: 'comments.logRetentionDays must be between 1 and 3650' })
    .max(3650, { error: 'comments.logRetentionDays must be between 1 and 3650' })
    .default(30),
});

const CacheSettings = z.object({
  ttlSeconds: z.number().int().min(0).max(86_400).default(300),
  /**
   * For this long after a page's copy expires, readers get that copy at once while one request
   * per location fetches the new one (stale-while-revalidate); 0 makes them wait for the node.
   */
  staleWhileRevalidateSeconds: z
    .number()
    .int()
    .min(0, { error: 'cache.staleWhileRevalidateSeconds must be between 0 and 86400' })
    .max(86_400, { error: 'cache.staleWhileRevalidateSeconds must be between 0 and 86400' })
    .default(60),
});

const SecuritySettings = z.object({
  blockXmlrpc: z.boolean().default(true),
  /** Addresses (IPv4 or IPv6) and IPv4 CIDR blocks that may reach the admin; empty lets everyone. */
  adminAllowlist: z
    .array(
      z.union([z.ipv4(), z.ipv6(), z.cidrv4()], {
        error:
          'security.adminAllowlist entries must be IP addresses or IPv4 CIDR blocks such as 203.0.113.0/24',
      }),
    )
    .default([]),
});

/** How node health is judged, as load balancers do: so many good checks to go up, bad to go down. */
const HealthSettings = z.object({
  rise: z.number().int().min(1).max(20).default(3),
  fall: z.number().int().min(1).max(20).default(3),
  /** The path the edge probes on each node (its answer below 500 counts as good). */
  probePath: z.string().startsWith('/').default('/'),
  timeoutSeconds: z.number().int().min(1).max(30).default(5),
  /** How often the site's NodeRegistry probes each of its nodes. */
  probeIntervalSeconds: z
    .number()
    .int()
    .min(10, { error: 'health.probeIntervalSeconds must be between 10 and 3600' })
    .max(3600, { error: 'health.probeIntervalSeconds must be between 10 and 3600' })
    .default(60),
  /** A heartbeat reporting less free disk than this counts as a failed check. */
  minFreeDiskMb: z.number().int().min(0).max(1_000_000).default(256),
  /** Each node's changes of state are kept this long (the status page and `wp-edge status` show them). */
  historyDays: z
    .number()
    .int()
    .min(1, { error: 'health.historyDays must be between 1 and 3650' })
    .max(3650, { error: 'health.historyDays must be between 1 and 3650' })
    .default(30),
});

/** How page views are counted (workers/views). */
const ViewsSettings = z.object({
  /** A visitor's views of one page within this many minutes count once (as Post Views Counter does); 0 counts every view. */
  windowMinutes: z
    .number({ error: 'views.windowMinutes must be a whole number of minutes between 0 and 1440' })
    .int({ error: 'views.windowMinutes must be a whole number of minutes between 0 and 1440' })
    .min(0, { error: 'views.windowMinutes must be between 0 and 1440' })
    .max(1440, { error: 'views.windowMinutes must be between 0 and 1440' })
    .default(30),
  /** Each count shard keeps at most this many paths (and, until the catalog is published, post ids). */
  maxPaths: z
    .number({ error: 'views.maxPaths must be a whole number between 1 and 100000' })
    .int({ error: 'views.maxPaths must be a whole number between 1 and 100000' })
    .min(1, { error: 'views.maxPaths must be between 1 and 100000' })
    .max(100_000, { error: 'views.maxPaths must be between 1 and 100000' })
    .default(1000),
});

/** Where admin and writes go while the primary is down. */
const FailoverSettings = z.object({
  /**
   * A secondary that takes admin, logins and writes while the primary is down; without one
   * they get a maintenance answer. What is written there must reach the primary by the
   * operator's own means before the primary's next database copy overwrites it.
   */
  standbyNode: NodeId.optional(),
});

/**
 * Where operational alerts go besides the site's webhooks (`comments.webhooks`): an email API
 * that takes `POST {from, to, subject, text}` with an optional bearer key, as Resend's does.
 */
export const AlertEmail = z.object({
  url: z.url({
    protocol: /^https?$/,
    error: 'alerts.email.url must be an http:// or https:// URL',
  }),
  from: z
    .string()
    .min(3, { error: 'alerts.email.from must be an address such as edge@example.com' }),
  to: z
    .array(z.email({ error: 'alerts.email.to must list email addresses' }))
    .min(1, { error: 'alerts.email.to must list at least one address' }),
  /** Sent as `Authorization: Bearer …`; it travels in the site's KV snapshot like webhook URLs. */
  apiKey: z.string().min(1).optional(),
});
export type AlertEmail = z.infer<typeof AlertEmail>;

/** What the edge tells the owner of besides new comments. */
const AlertSettings = z.object({
  email: AlertEmail.optional(),
});

/** Who may read the site's status page (`/__wp-edge/status`) besides holders of a CLI-issued token. */
const StatusSettings = z.object({
  /** The Cloudflare Access team domain, such as `myteam.cloudflareaccess.com`. */
  accessTeamDomain: HostName.optional(),
  /** The Access application's audience (AUD) tag a JWT must carry. */
  accessAud: z.string().min(1).optional(),
  /** Where the team's signing keys are; `https://<accessTeamDomain>/cdn-cgi/access/certs` by default. */
  accessCertsUrl: z
    .url({
      protocol: /^https?$/,
      error: 'status.accessCertsUrl must be an http:// or https:// URL',
    })
    .optional(),
});

/** Content sync (workers/sync): how stale a node may be, and how many backups are kept. */
const SyncSettings = z.object({
  /** Readers avoid a node whose content is older than the primary's by more than this, while a fresher node is up. */
  maxStalenessSeconds: z
    .number({ error: 'sync.maxStalenessSeconds must be a whole number of seconds, at least 10' })
    .int({ error: 'sync.maxStalenessSeconds must be a whole number of seconds, at least 10' })
    .min(10, { error: 'sync.maxStalenessSeconds must be at least 10' })
    .default(300),
  /** The newest generation of each of the last so many hours is kept. */
  keepHourly: z
    .number({ error: 'sync.keepHourly must be a whole number between 0 and 1000' })
    .int({ error: 'sync.keepHourly must be a whole number between 0 and 1000' })
    .min(0, { error: 'sync.keepHourly must be between 0 and 1000' })
    .max(1000, { error: 'sync.keepHourly must be between 0 and 1000' })
    .default(24),
  /** The newest generation of each of the last so many days is kept. */
  keepDaily: z
    .number({ error: 'sync.keepDaily must be a whole number between 0 and 1000' })
    .int({ error: 'sync.keepDaily must be a whole number between 0 and 1000' })
    .min(0, { error: 'sync.keepDaily must be between 0 and 1000' })
    .max(1000, { error: 'sync.keepDaily must be between 0 and 1000' })
    .default(7),
  /** The newest generation of each of the last so many weeks is kept. */
  keepWeekly: z
    .number({ error: 'sync.keepWeekly must be a whole number between 0 and 1000' })
    .int({ error: 'sync.keepWeekly must be a whole number between 0 and 1000' })
    .min(0, { error: 'sync.keepWeekly must be between 0 and 1000' })
    .max(1000, { error: 'sync.keepWeekly must be between 0 and 1000' })
    .default(4),
});

/** Per-site rules. Every section and field has a default, so `{}` is a valid value. */
export const SiteSettings = z.object({
  comments: CommentSettings.prefault({}),
  cache: CacheSettings.prefault({}),
  security: SecuritySettings.prefault({}),
  health: HealthSettings.prefault({}),
  failover: FailoverSettings.prefault({}),
  views: ViewsSettings.prefault({}),
  alerts: AlertSettings.prefault({}),
  status: StatusSettings.prefault({}),
  sync: SyncSettings.prefault({}),
});
export type SiteSettings = z.infer<typeof SiteSettings>;

/** A site as the operator declares it. */
export const SiteConfig = z
  .object({
    id: SiteId,
    name: z.string().trim().min(1).max(200).optional(),
    hosts: z.array(HostName).min(1, { error: 'a site needs at least one host name' }),
    settings: SiteSettings.prefault({}),
    nodes: z.array(NodeConfig).default([]),
  })
  .superRefine((site, ctx) => {
    const primaries = site.nodes.filter((node) => node.role === 'primary');
    if (primaries.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodes'],
        message: `site ${site.id} has ${primaries.length} primary nodes; exactly one node may be primary`,
      });
    }
    const ids = site.nodes.map((node) => node.id);
    const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
    if (repeated) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodes'],
        message: `node id ${repeated} appears twice`,
      });
    }
    const { accessTeamDomain, accessAud } = site.settings.status;
    if ((accessTeamDomain === undefined) !== (accessAud === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['settings', 'status'],
        message: 'status.accessTeamDomain and status.accessAud go together: set both or neither',
      });
    }
    const standby = site.settings.failover.standbyNode;
    if (standby === undefined) return;
    const node = site.nodes.find((candidate) => candidate.id === standby);
    if (!node || node.role === 'primary') {
      ctx.addIssue({
        code: 'custom',
        path: ['settings', 'failover', 'standbyNode'],
        message: node
          ? `standby node ${standby} is the primary; name a secondary of site ${site.id}`
          : `standby node ${standby} is not a node of site ${site.id}; list it under nodes as a secondary`,
      });
    }
  });
export type SiteConfig = z.infer<typeof SiteConfig>;
