import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { signRequest } from '@wp-edge/core';
import { addNode, bindingStore, createSite, issueStatusToken } from '@wp-edge/core/provision';
import {
  applyMigrations,
  chromiumLaunch,
  type RunningWorkers,
  runWorkers,
  workerOptions,
} from '@wp-edge/workerd-kit';
import { drizzle } from 'drizzle-orm/d1';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCREENSHOT = path.join(import.meta.dirname, '../artifacts/status-one-node-down.png');
const KEY = (node: string) => ({ keyId: `${node}-key`, secret: `${node}-secret`.padEnd(64, 'x') });

let edge: RunningWorkers;
let origin: Server;
let browser: Browser;
let token: string;
let otherToken: string;

async function heartbeat(nodeId: string, databaseOk: boolean, quarantined = 0): Promise<void> {
  const url = new URL('/agent/heartbeat', edge.url);
  const body = JSON.stringify({
    checks: {
      database: { ok: databaseOk, ...(databaseOk ? {} : { detail: 'connection refused' }) },
    },
    quarantined,
  });
  const headers = await signRequest({ method: 'POST', url, body, ...KEY(nodeId) });
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { ...headers, 'content-type': 'application/json' },
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  origin = createServer((_request, response) => response.end('<!doctype html><p>a post</p>'));
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.6', resolve));
  const originUrl = `http://127.0.0.6:${(origin.address() as AddressInfo).port}`;
  edge = await runWorkers(
    await Promise.all(
      (['router', 'comments', 'views', 'images', 'sync'] as const).map(workerOptions),
    ),
  );
  const d1 = await edge.miniflare.getD1Database('DB', 'wp-edge-router');
  await applyMigrations(d1);
  const store = bindingStore(
    d1,
    await edge.miniflare.getKVNamespace('SITE_CONFIG', 'wp-edge-router'),
  );
  await createSite(store, { id: 'blog', hosts: ['127.0.0.1'] });
  await createSite(store, { id: 'other', hosts: ['other.example'] });
  for (const [id, role] of [
    ['blog-home', 'primary'],
    ['blog-vps', 'secondary'],
  ] as const)
    await addNode(store, 'blog', { id, originUrl, role }, { key: KEY(id) });
  for (let i = 0; i < 3; i++) {
    await heartbeat('blog-home', true);
    await heartbeat('blog-vps', false, 2);
  }
  // Some traffic, counted by the router's tally and written by its Cron, as in production.
  for (let i = 0; i < 20; i++) await (await fetch(new URL(`/post-${i % 4}/`, edge.url))).text();
  for (const path of ['/wp-admin/', '/xmlrpc.php'])
    await (await fetch(new URL(path, edge.url), { redirect: 'manual' })).text();
  const router = await edge.miniflare.getWorker('wp-edge-router');
  await router.scheduled({ cron: '* * * * *' });
  token = await issueStatusToken(drizzle(d1), 'blog', { label: 'browser test' });
  otherToken = await issueStatusToken(drizzle(d1), 'other', { label: 'browser test' });
  browser = await chromium.launch(chromiumLaunch());
});

afterAll(async () => {
  await browser?.close();
  await edge?.dispose();
  await new Promise<void>((resolve) => (origin ? origin.close(() => resolve()) : resolve()));
});

async function open(headers: Record<string, string> = {}) {
  const context = await browser.newContext({
    extraHTTPHeaders: headers,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const response = await page.goto(new URL('/__wp-edge/status', edge.url).href);
  return { context, page, status: response?.status() };
}

describe('the status page in Chromium', () => {
  it('answers 401 without credentials and 403 with another site’s token', async () => {
    const anonymous = await open();
    expect(anonymous.status).toBe(401);
    await anonymous.context.close();
    const other = await open({ authorization: `Bearer ${otherToken}` });
    expect(other.status).toBe(403);
    await other.context.close();
  });

  it('shows a site with one node down, in words as well as colour, with headings and a table of nodes', async () => {
    const { context, page, status } = await open({ authorization: `Bearer ${token}` });
    expect(status).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Status of blog');
    expect(await page.locator('p.summary').textContent()).toContain('1 of 2 nodes is down.');
    const rows = page.getByRole('table').first().getByRole('row');
    expect(await rows.count()).toBe(3);
    const vps = rows.filter({ hasText: 'blog-vps' });
    expect(await vps.getByText('Down', { exact: true }).count()).toBe(1);
    expect(await vps.textContent()).toContain('database: connection refused');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual([
      'Nodes',
      'The last 24 hours',
      'Failovers and stale copies',
      'Alerts',
      'Health changes',
      'Traffic at the edge',
      'Comments held for moderation',
      'Views',
    ]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await context.close();
  });
});
