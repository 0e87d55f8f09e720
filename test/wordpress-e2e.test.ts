import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumLaunch } from '@wp-edge/workerd-kit';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/http.ts';
import { freePort, startLocalEdge } from './support/local-edge.ts';
import { startWordPressNode, type WordPressNode } from './support/wordpress-node.ts';

// Two real WordPress nodes, the local edge (`npm run dev`) in front, an origin agent beside
// each node, and a real browser on top: the whole pipeline as a reader and an owner see it.
const root = path.resolve(import.meta.dirname, '..');
const SITE_HOST = 'blog.e2e.test';
// Headless Chromium says so in its user agent; the reader here uses a desktop browser's.
const READER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let edge: Awaited<ReturnType<typeof startLocalEdge>>;
let siteUrl: string;
let primary: WordPressNode;
let secondary: WordPressNode;
let dir: string;
let browser: Browser;
const agents: ChildProcess[] = [];

async function startAgent(nodeId: string, node: WordPressNode): Promise<void> {
  const file = await edge.agentConfigFile(dir, nodeId, node.database);
  agents.push(
    spawn(
      process.execPath,
      [path.join(root, 'origin-agent/bin/wp-edge-agent.js'), '--config', file, 'run'],
      { stdio: 'ignore', env: { ...process.env, WP_EDGE_METRICS_PORT: '0' } },
    ),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wp-edge-e2e-'));
  edge = await startLocalEdge();
  siteUrl = `http://${SITE_HOST}:${new URL(edge.url).port}`;
  const node = async (address: string, title: string) =>
    startWordPressNode({ address, title, port: await freePort(), siteUrl });
  [primary, secondary] = await Promise.all([
    node('127.0.0.21', 'Node A'),
    node('127.0.0.22', 'Node B'),
  ]);
  await edge.cli('sites', 'add', 'e2e', '--host', SITE_HOST);
  await edge.cli(
    'nodes',
    'add',
    'e2e',
    'e2e-a',
    '--origin',
    primary.originUrl,
    '--role',
    'primary',
  );
  await edge.cli('nodes', 'add', 'e2e', 'e2e-b', '--origin', secondary.originUrl);
  await startAgent('e2e-a', primary);
  await startAgent('e2e-b', secondary);
  browser = await chromium.launch(
    chromiumLaunch(`--host-resolver-rules=MAP ${SITE_HOST} 127.0.0.1`),
  );
});

afterAll(async () => {
  await browser?.close();
  for (const agent of agents) agent.kill('SIGTERM');
  await Promise.all([primary?.stop(), secondary?.stop()]);
  await edge?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every copy of an edge comment a node holds: exactly one when it was applied once. */
async function edgeComments(node: WordPressNode, content: string) {
  const [rows] = await node.db.query(
    "SELECT c.comment_approved AS approved, c.comment_author AS author FROM wp_comments c JOIN wp_commentmeta m ON m.comment_id = c.comment_ID AND m.meta_key = 'wp_edge_id' WHERE c.comment_content = ?",
    [content],
  );
  return rows as { approved: string; author: string }[];
}

describe('a WordPress blog on two nodes behind the edge', () => {
  it('takes a reader’s comment from the stock comment form and puts it on both nodes; the owner’s approval follows', async () => {
    const page = await browser.newPage({ userAgent: READER_AGENT });
    const content = `Lovely post, from a real browser ${Date.now()}`;
    // The primary's agent publishes the catalog on start; until then the edge refuses comments.
    await eventually(
      async () => {
        await page.goto(`${siteUrl}/?p=1`);
        await page.fill('#author', 'Ann Reader');
        await page.fill('#email', 'ann@example.com');
        await page.fill('#comment', content);
        const [answer] = await Promise.all([
          page.waitForNavigation(),
          page.click('#commentform [type=submit]'),
        ]);
        return new URL(page.url()).searchParams.get('wp_edge_comment') ? answer : undefined;
      },
      60_000,
      'the edge to accept the comment form',
    );
    expect(new URL(page.url()).searchParams.get('wp_edge_status')).toBe('held');
    expect(await page.locator('input[name=wp_edge_node]').count()).toBe(1);
    for (const node of [primary, secondary]) {
      await expect
        .poll(() => edgeComments(node, content), { timeout: 30_000, interval: 250 })
        .toEqual([{ approved: '0', author: 'Ann Reader' }]);
    }
    await primary.db.query(
      "UPDATE wp_comments SET comment_approved = '1' WHERE comment_content = ?",
      [content],
    );
    await expect
      .poll(async () => (await edgeComments(secondary, content)).map((row) => row.approved), {
        timeout: 30_000,
        interval: 250,
      })
      .toEqual(['1']);
    expect(await edgeComments(primary, content)).toEqual([{ approved: '1', author: 'Ann Reader' }]);
    await page.close();
  });
});
