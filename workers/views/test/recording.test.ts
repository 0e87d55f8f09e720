import { describe, expect, it } from 'vitest';
import { BROWSER, siteFor } from './views-client.ts';

describe('recording views', () => {
  it('counts 2,000 views sent by 200 concurrent clients exactly', async () => {
    const site = await siteFor('busy');
    const clients = Array.from({ length: 200 }, async (_, client) => {
      for (let i = 0; i < 10; i++) {
        const response = await site.view(
          { postId: 1 },
          { 'cf-connecting-ip': `10.0.${client}.${i}` },
        );
        expect(response.status).toBe(202);
      }
    });
    await Promise.all(clients);
    const { posts } = await site.counts('posts=1');
    expect(posts[1]).toEqual({ views: 2_000, visitors: 2_000 });
    const totals = await (await site.get('/site')).json();
    expect(totals).toMatchObject({ allTime: { views: 2_000, visitors: 2_000 } });
    // 200 clients at once is what would expose a lost update (a read-modify-write store loses
    // most of 2,000 in the bench's kv-rmw row); more views per client only add time.
  }, 120_000);

  it('counts a visitor once a day however often they come back', async () => {
    const site = await siteFor('loyal', { views: { windowMinutes: 0 } });
    for (let i = 0; i < 3; i++) await site.view({ postId: 7 });
    await site.view({ postId: 7 }, { 'cf-connecting-ip': '198.51.100.1' });
    await site.view({ postId: 8 });
    const { posts } = await site.counts('posts=7,8');
    expect(posts).toEqual({ 7: { views: 4, visitors: 2 }, 8: { views: 1, visitors: 1 } });
    expect(await (await site.get('/site')).json()).toMatchObject({
      today: { views: 5, visitors: 2 },
    });
  });

  it('tells a different browser on the same address apart', async () => {
    const site = await siteFor('shared-ip');
    await site.view({ postId: 1 });
    await site.view({ postId: 1 }, { 'user-agent': BROWSER.replace('131', '132') });
    expect((await site.counts('posts=1')).posts[1]).toEqual({ views: 2, visitors: 2 });
  });

  it.each([
    [
      'a crawler',
      { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
      'bot',
    ],
    ['a headless browser', { 'user-agent': 'Mozilla/5.0 HeadlessChrome/131.0.0.0' }, 'bot'],
    ['a request without a user agent', { 'user-agent': '' }, 'bot'],
    ['a prefetch', { 'sec-purpose': 'prefetch' }, 'prefetch'],
    ['a prerender', { 'sec-purpose': 'prefetch;prerender' }, 'prefetch'],
    ['another site’s page', { origin: 'https://elsewhere.example' }, 'cross-site'],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }, 'cross-site'],
  ])('does not count %s', async (_who, headers, reason) => {
    const site = await siteFor(`ignored-${reason}-${Object.values(headers).join('').length}`);
    const response = await site.view({ postId: 3 }, headers);
    expect(await response.json()).toEqual({ counted: false, reason });
    expect((await site.counts('posts=3')).posts[3]).toEqual({ views: 0, visitors: 0 });
  });

  it('counts a beacon from the site’s own page and lets that page read the answer', async () => {
    const site = await siteFor('own');
    const response = await site.view({ postId: 4 }, { origin: `https://${site.host}` });
    expect(await response.json()).toEqual({ counted: true });
    expect(response.headers.get('access-control-allow-origin')).toBe(`https://${site.host}`);
  });

  it('counts pages that are not posts by their path, without query or fragment', async () => {
    const site = await siteFor('paths');
    await site.view({ path: '/about/?utm_source=x' });
    await site.view({ path: '/about/#team' }, { 'cf-connecting-ip': '198.51.100.2' });
    expect((await site.counts('paths=/about/')).paths['/about/']).toEqual({
      views: 2,
      visitors: 2,
    });
  });

  it('counts a view from the pixel and answers a GIF that is never cached', async () => {
    const site = await siteFor('pixel');
    const response = await site.get('/pixel.gif?post=9', {
      'user-agent': BROWSER,
      'cf-connecting-ip': '203.0.113.9',
    });
    expect(response.headers.get('content-type')).toBe('image/gif');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-wp-edge-view')).toBe('counted');
    expect(new Uint8Array(await response.arrayBuffer()).slice(0, 6)).toEqual(
      new TextEncoder().encode('GIF89a'),
    );
    expect((await site.counts('posts=9')).posts[9]).toEqual({ views: 1, visitors: 1 });
  });

  it('does not count the pixel when a crawler fetches it', async () => {
    const site = await siteFor('pixel-bot');
    const response = await site.get('/pixel.gif?post=9', { 'user-agent': 'curl/8.5.0' });
    expect(response.headers.get('content-type')).toBe('image/gif');
    expect((await site.counts('posts=9')).posts[9]).toEqual({ views: 0, visitors: 0 });
  });
});
