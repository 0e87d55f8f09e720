import {
  chromiumLaunch,
  type RunningWorkers,
  runWorkers,
  workerOptions,
} from '@wp-edge/workerd-kit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Headless Chromium says so in its user agent, and a headless browser is rightly not counted:
// the pages here pose as the desktop browser a reader would use.
const READER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let edge: RunningWorkers;
let browser: Browser;

beforeAll(async () => {
  edge = await runWorkers([await workerOptions('views')]);
  const kv = await edge.miniflare.getKVNamespace('SITE_CONFIG');
  await kv.put(
    'host:127.0.0.1',
    JSON.stringify({
      id: 'browser',
      hosts: ['127.0.0.1'],
      // Every load counts here, so that a reload shows the script sends one view per load.
      settings: { views: { windowMinutes: 0 } },
      nodes: [],
      publishedAt: new Date().toISOString(),
    }),
  );
  browser = await chromium.launch(chromiumLaunch());
});

afterAll(async () => {
  await browser?.close();
  await edge?.dispose();
});

async function counts(ids: number[]): Promise<Record<string, { views: number }>> {
  const response = await fetch(new URL(`/api/views?posts=${ids.join(',')}`, edge.url));
  return ((await response.json()) as { posts: Record<string, { views: number }> }).posts;
}

async function waitForViews(postId: number, views: number): Promise<void> {
  await expect
    .poll(async () => (await counts([postId]))[postId]?.views, { timeout: 10_000 })
    .toBe(views);
}

/** Opens a theme-like page on the edge's origin: the page itself is served by the test. */
async function openPost(
  page: Page,
  postId: number,
  shown: (number | string)[],
  script = `<script src="/api/views/client.js" data-post="${postId}" defer></script>`,
): Promise<void> {
  const url = new URL(`/${postId}/a-post/`, edge.url).href;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><title>Post</title>
        ${shown.map((id) => `<span class="count" data-wp-edge-views="${id}">…</span>`).join('\n')}
        ${script}`,
    }),
  );
  await page.goto(url);
}

async function viewFromAnotherReader(postId: number, reader: number): Promise<void> {
  await fetch(new URL('/api/views', edge.url), {
    method: 'POST',
    body: JSON.stringify({ postId }),
    headers: {
      'user-agent': 'Mozilla/5.0 Firefox/140.0',
      'cf-connecting-ip': `198.51.100.${reader}`,
    },
  });
}

describe('the client script in a real browser', () => {
  it('sends one view per page load', async () => {
    const page = await browser.newPage({ userAgent: READER_AGENT });
    let beacons = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/views')
        beacons++;
    });
    await openPost(page, 42, []);
    await page.waitForLoadState('networkidle');
    await waitForViews(42, 1);
    expect(beacons).toBe(1);
    await page.reload();
    await page.waitForLoadState('networkidle');
    await waitForViews(42, 2);
    expect(beacons).toBe(2);
    await page.close();
  });

  it('fills every element that asks for a post’s count', async () => {
    const page = await browser.newPage({ userAgent: READER_AGENT });
    for (let i = 0; i < 3; i++) await viewFromAnotherReader(7, i);
    // Reads see views once the shards have handed them to the rollup, within about a second.
    await waitForViews(7, 3);
    await openPost(page, 8, [7, 7, 9]);
    await expect
      .poll(() => page.locator('.count').allTextContents(), { timeout: 10_000 })
      .toEqual(['3', '3', '0']);
    await page.close();
  });

  it('leaves alone elements whose id no post can have, and fills the rest', async () => {
    const page = await browser.newPage({ userAgent: READER_AGENT });
    for (let i = 0; i < 2; i++) await viewFromAnotherReader(11, i);
    await waitForViews(11, 2);
    await openPost(page, 12, [11, '0', '007', 'abc']);
    await expect
      .poll(() => page.locator('.count').allTextContents(), { timeout: 10_000 })
      .toEqual(['2', '…', '…', '…']);
    await page.close();
  });

  it('works inlined in the page, as page optimisers do with small scripts', async () => {
    const page = await browser.newPage({ userAgent: READER_AGENT });
    const client = await (await fetch(new URL('/api/views/client.js', edge.url))).text();
    await openPost(page, 13, [13], `<script data-post="13">${client}</script>`);
    await waitForViews(13, 1);
    // The count is read as the view is sent: it shows this view or not yet.
    await expect
      .poll(() => page.locator('.count').textContent(), { timeout: 10_000 })
      .toMatch(/^[01]$/);
    await page.close();
  });
});
