import { env, exports } from 'cloudflare:workers';
import { signRequest } from '@wp-edge/core';
import { addNode as addSiteNode, bindingStore, createSite } from '@wp-edge/core/provision';

export const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

interface NodeKey {
  keyId: string;
  secret: string;
}

let addresses = 0;
/** A fresh client address, so the flood and rate rules only bite where a test means them to. */
export const nextAddress = () => {
  addresses++;
  return `198.51.${(addresses >> 8) & 255}.${addresses & 255}`;
};

const store = bindingStore(env.DB, env.SITE_CONFIG);

/** Adds a node as the CLI does, with a key the test knows. */
async function addNode(
  siteId: string,
  nodeId: string,
  role: 'primary' | 'secondary',
): Promise<NodeKey> {
  const key = { keyId: `${nodeId}-key`, secret: `${nodeId}-secret`.padEnd(64, 'x') };
  await addSiteNode(
    store,
    siteId,
    { id: nodeId, originUrl: `http://127.0.0.2/${nodeId}`, role },
    { key },
  );
  return key;
}

/** Sends a request signed with a node's key to the Worker. */
export async function signed(
  key: NodeKey,
  method: string,
  url: string,
  body?: unknown,
): Promise<Response> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers = await signRequest({
    method,
    url,
    ...(text === undefined ? {} : { body: text }),
    ...key,
  });
  return exports.default.fetch(url, {
    method,
    ...(text === undefined ? {} : { body: text }),
    headers: { ...headers, 'content-type': 'application/json' },
  });
}

/**
 * A site `<id>.example` with a primary and a secondary node, and a catalog published by the
 * primary: post 1 open (comments 10 approved, 12 spam and 13 held on it), post 2 closed (comment 11),
 * post 3 a draft, post 4 open but password protected.
 */
export async function createBlog(id: string, comments: Record<string, unknown> = {}) {
  const host = `${id}.example`;
  await createSite(store, {
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
    primary,
    secondary,
    agent: (key: NodeKey, method: string, path: string, body?: unknown) =>
      signed(key, method, `${base}${path}`, body),
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
  const published = await blog.agent(primary, 'POST', '/agent/catalog', {
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
  });
  if (!published.ok) throw new Error(`catalog publish failed: ${await published.text()}`);
  return blog;
}

export type Blog = Awaited<ReturnType<typeof createBlog>>;

/** The stored row of an edge comment. */
export function storedComment(id: string) {
  return env.DB.prepare('SELECT * FROM comments WHERE id = ?')
    .bind(id)
    .first<Record<string, unknown>>();
}
