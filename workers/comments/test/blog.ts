import { env, exports } from 'cloudflare:workers';
import {
  type AgentCaller,
  CatalogUpdate,
  CommentsQuery,
  ModerationReport,
  NativeCommentsReport,
  type NodeRole,
} from '@wp-edge/core';
import { addNode as addSiteNode, bindingStore, createSite } from '@wp-edge/core/provision';
import type { z } from 'zod';

export const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let addresses = 0;
/** A fresh client address, so the flood and rate rules only bite where a test means them to. */
export const nextAddress = () => {
  addresses++;
  return `198.51.${(addresses >> 8) & 255}.${addresses & 255}`;
};

const store = bindingStore(env.DB, env.SITE_CONFIG);

/**
 * The comments Worker's agent API as the router's gateway calls it for one node (over RPC,
 * with the caller the signature proved), inputs checked against the contract as the gateway does.
 */
function agentFor(caller: AgentCaller) {
  const agent = exports.CommentsAgent;
  return {
    caller,
    comments: (query: z.input<typeof CommentsQuery> = {}) =>
      agent.comments(caller, CommentsQuery.parse(query)),
    ack: (cursor: number, applied: { commentId: string; wpId: number }[] = []) =>
      agent.ack(caller, { cursor, applied }),
    catalog: (update: z.input<typeof CatalogUpdate>) =>
      agent.catalog(caller, CatalogUpdate.parse(update)),
    moderation: (report: z.input<typeof ModerationReport>) =>
      agent.moderation(caller, ModerationReport.parse(report)),
    nativeComments: (report: z.input<typeof NativeCommentsReport>) =>
      agent.nativeComments(caller, NativeCommentsReport.parse(report)),
  };
}

export type NodeAgent = ReturnType<typeof agentFor>;

/** The value of an agent answer, or the test fails with the refusal. */
export function answered<T>(answer: { ok: true; value: T } | { ok: false; problem: unknown }): T {
  if (!answer.ok) throw new Error(`the agent API refused: ${JSON.stringify(answer.problem)}`);
  return answer.value;
}

/** Adds a node as the CLI does; answers the comments Worker's agent API as that node. */
async function addNode(siteId: string, nodeId: string, role: NodeRole): Promise<NodeAgent> {
  const key = { keyId: `${nodeId}-key`, secret: `${nodeId}-secret`.padEnd(64, 'x') };
  await addSiteNode(
    store,
    siteId,
    { id: nodeId, originUrl: `http://127.0.0.2/${nodeId}`, role },
    { key },
  );
  return agentFor({ siteId, nodeId, role });
}

/**
 * A site `<id>.example` with a primary and a secondary node, and a catalog published by the
 * primary: post 1 open (comments 10 approved, 12 spam and 13 held on it), post 2 closed (comment 11),
 * post 3 a draft, post 4 open but password protected.
 */
export async function createBlog(id: string, comments: Record<string, unknown> = {}) {
  const host = `${id}.example`;
  const site = await createSite(store, {
    id,
    hosts: [host],
    settings: { comments: { moderation: 'auto', ...comments } },
  });
  const primary = await addNode(id, `${id}-a`, 'primary');
  const secondary = await addNode(id, `${id}-b`, 'secondary');
  const base = `https://${host}`;
  const blog = {
    host,
    base,
    originSecret: site.originSecret ?? '',
    primary,
    secondary,
    form(fields: Record<string, string>, headers: Record<string, string> = {}) {
      return exports.default.fetch(`${base}/wp-comments-post.php`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({
          comment_post_ID: '1',
          author: 'Ann',
          email: 'ann@example.com',
          url: '',
          comment: `Hello ${Math.random()}`,
          comment_parent: '0',
          ...fields,
        }),
        headers: { 'user-agent': BROWSER, 'cf-connecting-ip': nextAddress(), ...headers },
      });
    },
    api(body: Record<string, unknown>, headers: Record<string, string> = {}) {
      return exports.default.fetch(`${base}/api/comments`, {
        method: 'POST',
        body: JSON.stringify({
          postId: 1,
          author: 'Ann',
          email: 'ann@example.com',
          content: `Hello ${Math.random()}`,
          ...body,
        }),
        headers: {
          'content-type': 'application/json',
          'user-agent': BROWSER,
          'cf-connecting-ip': nextAddress(),
          ...headers,
        },
      });
    },
  };
  answered(
    await primary.catalog({
      siteUrl: base,
      posts: [
        { id: 1, status: 'publish', commentStatus: 'open', permalink: `${base}/hello-world/` },
        { id: 2, status: 'publish', commentStatus: 'closed', permalink: `${base}/closed/` },
        { id: 3, status: 'draft', commentStatus: 'open', permalink: `${base}/?p=3` },
        {
          id: 4,
          status: 'publish',
          commentStatus: 'open',
          permalink: `${base}/members/`,
          passwordProtected: true,
        },
      ],
      comments: [
        { id: 10, postId: 1, approved: '1' },
        { id: 11, postId: 2, approved: '1' },
        { id: 12, postId: 1, approved: 'spam' },
        { id: 13, postId: 1, approved: '0' },
      ],
    }),
  );
  return blog;
}

export type Blog = Awaited<ReturnType<typeof createBlog>>;

/** The stored row of an edge comment. */
export function storedComment(id: string) {
  return env.DB.prepare('SELECT * FROM comments WHERE id = ?')
    .bind(id)
    .first<Record<string, unknown>>();
}
