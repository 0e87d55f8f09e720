import { describe, expect, it } from 'vitest';
import { createImageSite, get, landscape, portrait } from './image-site.ts';

const detail = async (response: Response) => ((await response.json()) as { detail: string }).detail;
const json = async (response: Response) =>
  (await response.json()) as {
    id: string;
    url: string;
    width: number;
    height: number;
    category: string;
  };

describe('picking a random image', () => {
  it('redirects to the image’s stable URL, and the pick itself is never cached', async () => {
    const [image] = await createImageSite('redirect', [landscape()]);
    const response = await get('https://redirect.example/api/random-image');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(
      `https://redirect.example/api/random-image/i/${image?.id}`,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('answers JSON with the id, URL, size and category', async () => {
    const [image] = await createImageSite('as-json', [landscape('wallpapers')]);
    const response = await get('https://as-json.example/api/random-image?format=json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await json(response)).toEqual({
      id: image?.id,
      url: `https://as-json.example/api/random-image/i/${image?.id}`,
      width: 1600,
      height: 900,
      category: 'wallpapers',
    });
  });

  it('sends the bytes themselves with format=proxy, not cached', async () => {
    await createImageSite('proxy', [landscape()]);
    const response = await get('https://proxy.example/api/random-image?format=proxy');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toMatch(/^image proxy 0 /);
  });

  it('picks only from the category asked for', async () => {
    await createImageSite('category', [landscape('sea'), landscape('sea'), landscape('city')]);
    for (let i = 0; i < 20; i++) {
      expect(
        (
          await json(
            await get('https://category.example/api/random-image?format=json&category=sea'),
          )
        ).category,
      ).toBe('sea');
    }
  });

  it.each([
    ['landscape', {}, 1600],
    ['portrait', {}, 900],
    ['auto', { 'sec-ch-ua-mobile': '?1' }, 900],
    ['auto', { 'sec-ch-ua-mobile': '?0', 'user-agent': 'iPhone' }, 1600],
    [
      'auto',
      { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148' },
      900,
    ],
    ['auto', { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0' }, 1600],
  ])('with orientation=%s and %j picks images %i wide', async (orientation, headers, width) => {
    await createImageSite(`orientation-${orientation}-${Object.values(headers).join('').length}`, [
      landscape('mixed'),
      portrait('mixed'),
    ]);
    const host = `orientation-${orientation}-${Object.values(headers).join('').length}.example`;
    for (let i = 0; i < 5; i++) {
      const picked = await json(
        await get(
          `https://${host}/api/random-image?format=json&orientation=${orientation}`,
          headers,
        ),
      );
      expect(picked.width).toBe(width);
    }
  });

  it('gives the same image for the same seed, so a page can have its own', async () => {
    await createImageSite(
      'seeded',
      Array.from({ length: 10 }, () => landscape()),
    );
    const first = await json(
      await get('https://seeded.example/api/random-image?format=json&seed=post-42'),
    );
    for (let i = 0; i < 5; i++) {
      expect(
        (await json(await get('https://seeded.example/api/random-image?format=json&seed=post-42')))
          .id,
      ).toBe(first.id);
    }
  });

  it('does not give a visitor the same image twice in a row', async () => {
    await createImageSite('no-repeat', [landscape(), landscape()]);
    let cookie = '';
    let last = '';
    for (let i = 0; i < 10; i++) {
      const response = await get(
        'https://no-repeat.example/api/random-image?format=json',
        cookie ? { cookie } : {},
      );
      cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const { id } = await json(response);
      expect(id).not.toBe(last);
      last = id;
    }
  });
});

describe('refusing what cannot be answered', () => {
  it.each([
    ['?format=gif', 400, 'format must be redirect, proxy or json'],
    ['?orientation=diagonal', 400, 'orientation must be landscape, portrait or auto'],
    ['?category=Bad!', 400, 'category must be 1-63 lowercase letters'],
    ['?category=mountains', 404, 'there is no image category mountains; the categories are: sea'],
    ['?category=sea&orientation=portrait', 404, 'there are no portrait images in category sea'],
  ])('answers %s with %i', async (query, status, message) => {
    await createImageSite('refusals', [landscape('sea')]);
    const response = await get(`https://refusals.example/api/random-image${query}`);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await detail(response)).toContain(message);
  });

  it('says how to upload images when a site has none', async () => {
    await createImageSite('empty', []);
    const response = await get('https://empty.example/api/random-image');
    expect(response.status).toBe(404);
    expect(await detail(response)).toBe(
      'site empty has no images yet; upload some with: npx wp-edge images sync <folder> --site empty',
    );
  });
});

describe('an image’s stable URL', () => {
  it('serves the bytes with their type, an ETag, and a cache lifetime of a year', async () => {
    const [image] = await createImageSite('bytes', [landscape()]);
    const response = await get(`https://bytes.example/api/random-image/i/${image?.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]+"$/);
    expect((await response.arrayBuffer()).byteLength).toBe(image?.size);
  });

  it('answers 304 to a request that has the current ETag', async () => {
    const [image] = await createImageSite('conditional', [landscape()]);
    const url = `https://conditional.example/api/random-image/i/${image?.id}`;
    const etag = (await get(url)).headers.get('etag') ?? '';
    const again = await get(url, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('answers 412 to a request whose If-Match names another version', async () => {
    const [image] = await createImageSite('if-match', [landscape()]);
    const url = `https://if-match.example/api/random-image/i/${image?.id}`;
    const etag = (await get(url)).headers.get('etag') ?? '';
    expect((await get(url, { 'if-match': '"another"' })).status).toBe(412);
    expect((await get(url, { 'if-match': etag })).status).toBe(200);
  });

  it('answers a byte range with 206 and only those bytes', async () => {
    const [image] = await createImageSite('ranged', [landscape()]);
    const response = await get(`https://ranged.example/api/random-image/i/${image?.id}`, {
      range: 'bytes=0-9',
    });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes 0-9/${image?.size}`);
    expect(await response.text()).toBe('image rang');
  });

  it('answers 416 to a byte range past the end', async () => {
    const [image] = await createImageSite('past-end', [landscape()]);
    const response = await get(`https://past-end.example/api/random-image/i/${image?.id}`, {
      range: 'bytes=5000-6000',
    });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${image?.size}`);
  });

  it('answers 404 for an id that is not in the set', async () => {
    await createImageSite('unknown-id', [landscape()]);
    expect(
      (await get('https://unknown-id.example/api/random-image/i/ffffffffffffffffffff')).status,
    ).toBe(404);
  });
});
