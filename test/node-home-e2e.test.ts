import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, get, post } from './support/http.ts';
import { startLocalEdge } from './support/local-edge.ts';
import { startWordPressNode, type WordPressNode } from './support/wordpress-node.ts';

// Two real WordPress nodes whose `home` is each node's own address (a node reached by its own
// address, as the issue saw it), the local edge in front, and each agent's config exactly as
// `wp-edge nodes agent-config` prints it: the agent reaches the edge at 127.0.0.1, which is no
// host of the site. Everything the agent asks goes through the signed agent API.
const root = path.resolve(import.meta.dirname, '..');
const agentBin = path.join(root, 'origin-agent/bin/wp-edge-agent.js');
const SITE_HOST = 'blog.home.test';
const READER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let edge: Awaited<ReturnType<typeof startLocalEdge>>;
let primary: WordPressNode;
let secondary: WordPressNode;
let dir: string;
const configs: Record<string, string> = {};
const agents: ChildProcess[] = [];

/**
 * A node whose WordPress `home` is its own address. On port 80, as a node's address is in
 * production: WordPress redirects a request whose port differs from its home's.
 */
function ownHomeNode(address: string, title: string): Promise<WordPressNode> {
  return startWordPressNode({ address, title, port: 80, siteUrl: `http://${address}` });
}

/** Runs `wp-edge-agent <command>` to its end; answers its exit code and what it printed. */
function runAgent(file: string, command: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [agentBin, '--config', file, command], {
      env: { ...process.env, WP_EDGE_METRICS_PORT: '0' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wp-edge-home-e2e-'));
  [edge, primary, secondary] = await Promise.all([
    startLocalEdge(),
    ownHomeNode('127.0.0.31', 'Node A'),
    ownHomeNode('127.0.0.32', 'Node B'),
  ]);
  const seed = path.join(dir, 'seed.json');
  await writeFile(
    seed,
    JSON.stringify({
      sites: [
        {
          id: 'home',
          hosts: [SITE_HOST],
          settings: { comments: { moderation: 'auto' }, cache: { ttlSeconds: 300 } },
          nodes: [
            { id: 'home-a', originUrl: primary.originUrl, role: 'primary' },
            { id: 'home-b', originUrl: secondary.originUrl },
          ],
        },
      ],
    }),
  );
  await edge.cli('seed', seed);
  configs['home-a'] = await edge.agentConfigFile(dir, 'home-a', primary.database);
  configs['home-b'] = await edge.agentConfigFile(dir, 'home-b', secondary.database);
  for (const file of Object.values(configs))
    agents.push(
      spawn(process.execPath, [agentBin, '--config', file, 'run'], {
        stdio: 'ignore',
        env: { ...process.env, WP_EDGE_METRICS_PORT: '0' },
      }),
    );
});

afterAll(async () => {
  for (const agent of agents) agent.kill('SIGTERM');
  await Promise.all([primary?.stop(), secondary?.stop()]);
  await edge?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('nodes whose WordPress home is their own address, agents configured as the CLI prints', () => {
  it('show a new comment through the edge once the agents have applied it: their purges work', async () => {
    const page = `${edge.url}/?p=1`;
    await eventually(
      async () =>
        (await get(page, SITE_HOST)).headers['x-wp-edge-cache'] === 'HIT' ? true : undefined,
      60_000,
      'the post to be cached at the edge',
    );
    const content = `Seen through the edge ${Date.now()}`;
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
    // Back to the post on the host the reader used, not the node's own address WordPress's home names.
    expect(new URL(String(posted.headers.location)).hostname).toBe(SITE_HOST);
    await eventually(
      async () => ((await get(page, SITE_HOST)).body.includes(content) ? true : undefined),
      60_000,
      'the cached post to show the new comment',
    );
  });

  it('copy the edge’s view counts into post meta with sync-views', async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await post(`${edge.url}/api/views`, SITE_HOST, JSON.stringify({ postId: 1 }), {
        'user-agent': READER_AGENT,
        'content-type': 'application/json',
        'cf-connecting-ip': `198.51.100.${i + 1}`,
      });
      expect(JSON.parse(answer.body)).toMatchObject({ counted: expect.any(Boolean) });
    }
    const run = await runAgent(configs['home-b'] ?? '', 'sync-views');
    expect(run.code, run.output).toBe(0);
    const [rows] = await secondary.db.query(
      "SELECT meta_value FROM wp_postmeta WHERE post_id = 1 AND meta_key = 'views'",
    );
    expect(Number((rows as { meta_value: string }[])[0]?.meta_value)).toBeGreaterThan(0);
  });
});
