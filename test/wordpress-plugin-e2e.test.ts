import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, get, type HttpAnswer, post } from './support/http.ts';
import { freePort, startLocalEdge } from './support/local-edge.ts';
import { startWordPressNode, type WordPressNode } from './support/wordpress-node.ts';

// A real WordPress node with the wp-edge plugin as a mu-plugin, its constants exactly as
// `wp-edge nodes wp-config` prints them (so the origin lock is on), the local edge in front
// and the node's agent beside it. The held comment is rendered by PHP on the node, so plain
// HTTP with the cookies the edge set shows what a browser would get.
const root = path.resolve(import.meta.dirname, '..');
const SITE_HOST = 'blog.plugin.test';
const NODE_ADDRESS = '127.0.0.51';
const HEALTH_PATH = '/?wp-edge-health';
const MODERATION_NOTE = 'Your comment is awaiting moderation.';
const READER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let edge: Awaited<ReturnType<typeof startLocalEdge>>;
let node: WordPressNode;
let dir: string;
let agent: ChildProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wp-edge-plugin-e2e-'));
  [edge, node] = await Promise.all([
    startLocalEdge(),
    startWordPressNode({
      address: NODE_ADDRESS,
      port: await freePort(),
      // WordPress's home is the site as readers reach it; the requests below name no port.
      siteUrl: `http://${SITE_HOST}`,
      title: 'Plugin node',
      plugin: true,
    }),
  ]);
  const seed = path.join(dir, 'seed.json');
  await writeFile(
    seed,
    JSON.stringify({
      sites: [
        {
          id: 'plugin',
          hosts: [SITE_HOST],
          settings: {
            comments: { moderation: 'hold-all' },
            health: { probePath: HEALTH_PATH },
          },
          nodes: [{ id: 'plugin-a', originUrl: node.originUrl, role: 'primary' }],
        },
      ],
    }),
  );
  await edge.cli('seed', seed);
  await node.addConfig(await edge.cli('nodes', 'wp-config', 'plugin-a'));
  const file = await edge.agentConfigFile(dir, 'plugin-a', node.database);
  agent = spawn(
    process.execPath,
    [path.join(root, 'origin-agent/bin/wp-edge-agent.js'), '--config', file, 'run'],
    { stdio: 'ignore', env: { ...process.env, WP_EDGE_METRICS_PORT: '0' } },
  );
});

afterAll(async () => {
  agent?.kill('SIGTERM');
  await node?.stop();
  await edge?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The cookies a browser keeps from an answer: name=value of each not cleared by Max-Age=0. */
function keptCookies(answer: HttpAnswer): string {
  const set = answer.headers['set-cookie'] ?? [];
  return (Array.isArray(set) ? set : [set])
    .filter((cookie) => !/;\s*max-age=0(;|$)/i.test(cookie))
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

describe('a WordPress node with the wp-edge plugin behind the edge', () => {
  it('refuses a request that bypasses the edge, serves the same page through it, and answers the health probe directly', async () => {
    const nodeHost = new URL(node.originUrl).host;
    const direct = await get(`${node.originUrl}/?p=1`, nodeHost);
    expect(direct.status).toBe(403);
    expect(direct.body).toContain('served through its edge');
    const routed = await eventually(
      async () => {
        const answer = await get(`${edge.url}/?p=1`, SITE_HOST);
        return answer.status === 200 ? answer : undefined;
      },
      60_000,
      'the edge to serve the post',
    );
    expect(routed.body).toContain('Hello world!');
    // The edge's probe counts any answer below 500. WordPress's own here is its canonical
    // redirect (the node's port is not its home's), not the lock's 403.
    const health = await get(`${node.originUrl}${HEALTH_PATH}`, nodeHost);
    expect(health.status).toBe(301);
    expect(health.headers.location).toBe(`http://${NODE_ADDRESS}${HEALTH_PATH}`);
    expect((await get(`${node.originUrl}${HEALTH_PATH}&p=1`, nodeHost)).status).toBe(403);
    expect((await get(`${node.originUrl}/`, nodeHost)).status).toBe(403);
  });

  it('shows a held comment posted through the edge to its author, awaiting moderation, and to no one else', async () => {
    const content = `Held at the edge, shown by the plugin ${Date.now()}`;
    const form = new URLSearchParams({
      comment_post_ID: '1',
      author: 'Ann Reader',
      email: 'ann@example.com',
      comment: content,
    }).toString();
    // The primary's agent publishes the catalog on start; until then the edge refuses comments.
    const posted = await eventually(
      async () => {
        const answer = await post(`${edge.url}/wp-comments-post.php`, SITE_HOST, form, {
          'user-agent': READER_AGENT,
          'content-type': 'application/x-www-form-urlencoded',
        });
        return answer.status === 302 ? answer : undefined;
      },
      60_000,
      'the edge to accept the comment',
    );
    const landing = new URL(String(posted.headers.location));
    expect(landing.searchParams.get('wp_edge_status')).toBe('held');
    const cookie = keptCookies(posted);
    expect(cookie).toMatch(/^wp_edge_held_comment=/);
    const page = `${edge.url}${landing.pathname}${landing.search}`;
    const seen = await get(page, SITE_HOST, { cookie, 'user-agent': READER_AGENT });
    expect(seen.status).toBe(200);
    expect(seen.body).toContain(content);
    expect(seen.body).toContain(MODERATION_NOTE);
    // Anyone else given the same address (the author shares it, a spammer links it) sees nothing.
    const other = await get(page, SITE_HOST, { 'user-agent': READER_AGENT });
    expect(other.status).toBe(200);
    expect(other.body).not.toContain(content);
    // And the copy the edge may keep for them is not what the author gets on coming back.
    const again = await get(page, SITE_HOST, { cookie, 'user-agent': READER_AGENT });
    expect(again.body).toContain(content);
    expect(again.body).toContain(MODERATION_NOTE);
  });
});
