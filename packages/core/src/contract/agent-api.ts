import { z } from 'zod';
import { CommentEvent, CommentStatus } from '../comments/schemas.ts';
import { NodeHealth } from '../config/health.ts';
import { type NodeRole, WordPressLocale } from '../config/site.ts';
import { GenerationId, KeptSnapshotId } from './sync-api.ts';

/**
 * The agent API: what an origin agent and the edge's agent gateway (`workers/router/src/
 * agent-gateway/`) agree on. Every call is signed with the node's key; the gateway checks the
 * signature once and hands the verified caller to the Worker that serves it over RPC.
 */

/** Who a verified agent call comes from: the signature's key says which node of which site. */
export interface AgentCaller {
  siteId: string;
  nodeId: string;
  role: NodeRole;
}

/** The problem types of agent API answers (signature failures are `urn:wp-edge:signature:*`). */
export const AGENT_PROBLEM = {
  logPruned: 'urn:wp-edge:agent:log-pruned',
  notPrimary: 'urn:wp-edge:agent:not-primary',
} as const;

/** A refusal an agent Worker answers over RPC; the gateway turns it into problem+json. */
export interface AgentProblem {
  status: 403 | 410;
  type: (typeof AGENT_PROBLEM)[keyof typeof AGENT_PROBLEM];
  detail: string;
}

/** What an agent RPC method returns: its answer, or a refusal the agent can act on. */
export type AgentAnswer<T> = { ok: true; value: T } | { ok: false; problem: AgentProblem };

/** A pull or acknowledgement covers at most this many log entries. */
export const MAX_PAGE_EVENTS = 1000;

/** `POST /agent/purge` takes at most this many pages; the agent sends more in several. */
export const MAX_PURGE_PAGES = 100;

/** A catalog publish carries at most this many posts and comments in all; the agent sends more in chunks. */
export const MAX_CATALOG_ITEMS = 1000;

/** `GET /agent/views` reads at most this many posts' counts at a time. */
export const MAX_VIEW_POSTS = 100;

const PostId = z.number().int().positive();

/** One local check of a node, as its agent saw it. */
const Check = z.object({ ok: z.boolean(), detail: z.string().max(500).optional() });

/** `POST /agent/heartbeat`: a node's own view of its health, every 10 s. */
export const Heartbeat = z.object({
  checks: z.object({
    wordpress: Check.optional(),
    database: Check,
  }),
  diskFreeBytes: z.number().min(0).optional(),
  load1: z.number().min(0).optional(),
  commentLag: z.number().int().min(0).optional(),
  /** Comment-log events this node's database refused, set aside in `wp_edge_quarantine`. */
  quarantined: z.number().int().min(0).optional(),
  /** When the agent last copied view counts into post meta (ISO time). */
  viewsCopiedAt: z.iso.datetime().optional(),
  /** The content generation the node serves (content sync), for freshness. */
  contentGeneration: GenerationId.optional(),
  /** The content sync's last pass failed (publish on the primary, import elsewhere); absent once one succeeds. */
  syncFailure: z.object({ at: z.iso.datetime(), error: z.string().max(500) }).optional(),
  /**
   * The last time this node's own edits were kept before an import replaced them: the folder under
   * the agent's `sync.keptDir`, how many posts were edited, and the generation they were made on.
   */
  keptEdits: z
    .object({
      snapshot: KeptSnapshotId,
      editedPosts: z.number().int().min(1),
      replacedGeneration: GenerationId,
    })
    .optional(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

/**
 * A page of the site to purge: its path (`/hello-world/`), or a URL whose host is ignored
 * (WordPress's `home` may be a node's own address). The edge purges it on each of the site's hosts.
 */
export const PurgedPage = z
  .string()
  .max(2048, { error: 'a purged page must be at most 2048 characters' })
  .refine((page) => page.startsWith('/') || /^https?:\/\/[^/]/.test(page), {
    error: 'a purged page is a path starting with / or an http(s) URL',
  })
  .transform((page) => {
    const url = new URL(page, 'http://site.invalid');
    return `${url.pathname}${url.search}`;
  });

/** `GET /agent/comments`: the site's log after `after`, waiting up to `wait` seconds for news. */
export const CommentsQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0, { error: 'after must be a log position (0 or more)' })
    .default(0),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_EVENTS, { error: `limit must be between 1 and ${MAX_PAGE_EVENTS}` })
    .default(100),
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(60, { error: 'wait must be between 0 and 60 seconds' })
    .default(0),
});
export type CommentsQuery = z.infer<typeof CommentsQuery>;

/** The answer to `GET /agent/comments`: events after the cursor, and the site's newest seq. */
export const CommentPage = z.object({
  events: z.array(CommentEvent),
  /** The cursor to ask from next time (the last event's seq, or the cursor asked with). */
  next: z.number().int().min(0),
  head: z.number().int().min(0),
});
export type CommentPage = z.infer<typeof CommentPage>;

/**
 * `POST /agent/ack`, once per page applied: the log position the node has applied, the
 * WordPress ids its database gave edge comments since the last acknowledgement, and the pages
 * those comments changed.
 */
export const Ack = z.object({
  cursor: z.number().int().min(0),
  applied: z
    .array(z.object({ commentId: z.string().min(1), wpId: PostId }))
    .max(MAX_PAGE_EVENTS)
    .default([]),
  // Each post a page touched, at both of its addresses (permalink and `?p=ID`).
  purge: z
    .array(PurgedPage)
    .max(2 * MAX_PAGE_EVENTS)
    .default([]),
});
export type Ack = z.infer<typeof Ack>;

/** The answer to an acknowledgement: the cursor recorded, how far behind it is, the pages purged here. */
export const AckAnswer = z.object({
  cursor: z.number().int().min(0),
  lag: z.number().int().min(0),
  purged: z.number().int().min(0),
});
export type AckAnswer = z.infer<typeof AckAnswer>;

/** `POST /agent/catalog` (primary only): what changed on the primary since its last publish. */
export const CatalogUpdate = z
  .object({
    siteUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** The primary's WordPress locale as `get_locale()` gives it (`en_US`, `de_DE`, `pt_PT_ao90`). */
    locale: WordPressLocale.optional(),
    posts: z
      .array(
        z.object({
          id: PostId,
          status: z.string().min(1).max(20),
          commentStatus: z.enum(['open', 'closed']),
          permalink: z.url({ protocol: /^https?$/ }),
          passwordProtected: z.boolean().default(false),
        }),
      )
      .max(MAX_CATALOG_ITEMS)
      .default([]),
    removedPosts: z.array(PostId).max(MAX_CATALOG_ITEMS).default([]),
    comments: z
      .array(z.object({ id: PostId, postId: PostId, approved: z.string().min(1).max(20) }))
      .max(MAX_CATALOG_ITEMS)
      .default([]),
    removedComments: z.array(PostId).max(MAX_CATALOG_ITEMS).default([]),
  })
  .refine(
    (update) =>
      update.posts.length +
        update.removedPosts.length +
        update.comments.length +
        update.removedComments.length <=
      MAX_CATALOG_ITEMS,
    {
      error: `send at most ${MAX_CATALOG_ITEMS} posts and comments per request; split larger catalogs`,
    },
  );
export type CatalogUpdate = z.infer<typeof CatalogUpdate>;

/** How many of each kind a catalog publish applied. */
export const CatalogAnswer = z.object({
  posts: z.number().int(),
  removedPosts: z.number().int(),
  comments: z.number().int(),
  removedComments: z.number().int(),
});
export type CatalogAnswer = z.infer<typeof CatalogAnswer>;

/** `POST /agent/moderation` (primary only): what the owner did in wp-admin to edge comments. */
export const ModerationReport = z.object({
  changes: z
    .array(
      z
        .object({
          commentId: z.string().min(1),
          status: CommentStatus.optional(),
          content: z.string().max(65_525).optional(),
          /** Deleted permanently on the primary (not trashed). */
          deleted: z.literal(true).optional(),
        })
        .refine(
          (change) =>
            change.status !== undefined || change.content !== undefined || change.deleted === true,
          { error: 'a change needs a status, a content or deleted' },
        ),
    )
    .min(1)
    .max(500),
});
export type ModerationReport = z.infer<typeof ModerationReport>;

/** What a moderation report did: changes logged, ids the edge has no comment of, the log's head. */
export const ModerationAnswer = z.object({
  applied: z.number().int().min(0),
  skipped: z.array(z.string()),
  head: z.number().int().min(0),
});
export type ModerationAnswer = z.infer<typeof ModerationAnswer>;

/** A native report carries at most this many comments; the agent sends more in several. */
export const MAX_NATIVE_COMMENTS = 100;

/**
 * `POST /agent/native-comments` (primary only): comments WordPress wrote on the primary
 * outside the edge (the owner's replies in wp-admin, the REST API, an import), in the
 * primary's numbering, so they enter the site's log and reach every node.
 */
export const NativeCommentsReport = z.object({
  comments: z
    .array(
      z.object({
        /** The comment's `comment_ID` on the primary. */
        wpId: z.number().int().positive(),
        postId: z.number().int().positive(),
        /** `comment_parent` on the primary, 0 for none. */
        parentWpId: z.number().int().min(0),
        author: z.string().max(245),
        authorEmail: z.string().max(100),
        authorUrl: z.string().max(200),
        content: z.string().max(65_525),
        authorIp: z.string().max(100),
        userAgent: z.string().max(255),
        status: CommentStatus,
        createdAt: z.iso.datetime(),
      }),
    )
    .min(1)
    .max(MAX_NATIVE_COMMENTS),
});
export type NativeCommentsReport = z.infer<typeof NativeCommentsReport>;

/** The answer: the edge id each reported comment has in the log (the same one again for a comment reported twice). */
export const NativeCommentsLogged = z.object({
  logged: z.array(z.object({ wpId: z.number().int().positive(), commentId: z.string().min(1) })),
});
export type NativeCommentsLogged = z.infer<typeof NativeCommentsLogged>;

/** The answer to `GET /agent/health`: what the edge thinks of the calling node, and its recent changes. */
export const HealthReport = z.object({
  node: z.string(),
  health: NodeHealth.nullable(),
  changes: z.array(
    z.object({ at: z.string(), nodeId: z.string(), up: z.boolean(), reason: z.string() }),
  ),
});
export type HealthReport = z.infer<typeof HealthReport>;

/** `POST /agent/purge`: pages to purge, or none for the whole site (strict: a misspelt field must not purge it all). */
export const PurgeRequest = z.strictObject({
  pages: z.array(PurgedPage).min(1).max(MAX_PURGE_PAGES).optional(),
});
export type PurgeRequest = z.infer<typeof PurgeRequest>;

/** What a purge did: the whole site (a new cache generation), or how many cached copies went here. */
export const PurgeAnswer = z.discriminatedUnion('purged', [
  z.object({ purged: z.literal('site'), cacheGeneration: z.number().int() }),
  z.object({ purged: z.literal('pages'), pages: z.number().int().min(0) }),
]);
export type PurgeAnswer = z.infer<typeof PurgeAnswer>;

/** `GET /agent/views?posts=1,2,3`: the view counts of up to `MAX_VIEW_POSTS` posts. */
export const ViewsQuery = z.object({
  posts: z
    .string()
    .regex(/^[1-9]\d{0,14}(,[1-9]\d{0,14})*$/, {
      error: 'posts must be positive whole numbers, separated by commas',
    })
    .transform((list) => [...new Set(list.split(',').map(Number))])
    .pipe(
      z.array(PostId).max(MAX_VIEW_POSTS, { error: `ask for at most ${MAX_VIEW_POSTS} posts` }),
    ),
});
export type ViewsQuery = z.infer<typeof ViewsQuery>;

/** Each post's views and unique visitors, by post id. */
export const ViewCounts = z.object({
  posts: z.record(
    z.string(),
    z.object({ views: z.number().int().min(0), visitors: z.number().int().min(0) }),
  ),
});
export type ViewCounts = z.infer<typeof ViewCounts>;

/** One route of the agent API: its method, exact path, what it takes and what it answers. */
export interface AgentRoute<Input extends z.ZodType, Output extends z.ZodType> {
  method: 'GET' | 'POST';
  path: `/agent/${string}`;
  /** The query of a GET, the JSON body of a POST. */
  input: Input;
  output: Output;
}

const route = <Input extends z.ZodType, Output extends z.ZodType>(
  method: 'GET' | 'POST',
  path: `/agent/${string}`,
  input: Input,
  output: Output,
): AgentRoute<Input, Output> => ({ method, path, input, output });

/**
 * Every route of the agent API. The gateway mounts each on its exact path; the agent's edge
 * client sends each input and parses each answer with these schemas.
 * @example
 * const page = await edge.call(AGENT_ROUTES.comments, { after: 0, wait: 25 });
 */
export const AGENT_ROUTES = {
  comments: route('GET', '/agent/comments', CommentsQuery, CommentPage),
  ack: route('POST', '/agent/ack', Ack, AckAnswer),
  catalog: route('POST', '/agent/catalog', CatalogUpdate, CatalogAnswer),
  moderation: route('POST', '/agent/moderation', ModerationReport, ModerationAnswer),
  nativeComments: route(
    'POST',
    '/agent/native-comments',
    NativeCommentsReport,
    NativeCommentsLogged,
  ),
  heartbeat: route('POST', '/agent/heartbeat', Heartbeat, NodeHealth),
  health: route('GET', '/agent/health', z.object({}), HealthReport),
  purge: route('POST', '/agent/purge', PurgeRequest, PurgeAnswer),
  views: route('GET', '/agent/views', ViewsQuery, ViewCounts),
} as const;

/** The comments Worker's `CommentsAgent` entrypoint, as the gateway calls it over RPC. */
export interface CommentsAgentApi {
  comments(caller: AgentCaller, query: CommentsQuery): Promise<AgentAnswer<CommentPage>>;
  ack(
    caller: AgentCaller,
    ack: Pick<Ack, 'cursor' | 'applied'>,
  ): Promise<AgentAnswer<Omit<AckAnswer, 'purged'>>>;
  catalog(caller: AgentCaller, update: CatalogUpdate): Promise<AgentAnswer<CatalogAnswer>>;
  moderation(caller: AgentCaller, report: ModerationReport): Promise<AgentAnswer<ModerationAnswer>>;
  nativeComments(
    caller: AgentCaller,
    report: NativeCommentsReport,
  ): Promise<AgentAnswer<NativeCommentsLogged>>;
}

/** The views Worker's `ViewsAgent` entrypoint, as the gateway calls it over RPC. */
export interface ViewsAgentApi {
  views(caller: AgentCaller, query: ViewsQuery): Promise<AgentAnswer<ViewCounts>>;
  /** The router's own call, for a removed site, never an agent route: the rows left per shard. */
  forgetSite(siteId: string): Promise<Record<string, number>[]>;
}
