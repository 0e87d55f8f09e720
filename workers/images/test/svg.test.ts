import { describe, expect, it } from 'vitest';
import { createImageSite, get, landscape } from './image-site.ts';

const SCRIPTED_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9" onload="alert(document.cookie)"><script>fetch("/wp-admin/")</script></svg>';

const svg = () => ({ ...landscape(), contentType: 'image/svg+xml', body: SCRIPTED_SVG });

describe('an SVG in the image set', () => {
  it('is served from its stable URL sandboxed and as a download, so its script cannot run as the blog', async () => {
    const [image] = await createImageSite('svg-stable', [svg()]);
    const response = await get(`https://svg-stable.example/api/random-image/i/${image?.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(response.headers.get('content-security-policy')).toMatch(/(^|;\s*)sandbox(;|$)/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(SCRIPTED_SVG);
  });

  it('is sandboxed and a download when proxied by the random pick too', async () => {
    await createImageSite('svg-proxy', [svg()]);
    const response = await get('https://svg-proxy.example/api/random-image?format=proxy');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/(^|;\s*)sandbox(;|$)/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('leaves a photo inline, though sandboxed all the same', async () => {
    const [image] = await createImageSite('png-inline', [landscape()]);
    const response = await get(`https://png-inline.example/api/random-image/i/${image?.id}`);
    expect(response.headers.get('content-disposition')).toBeNull();
    expect(response.headers.get('content-security-policy')).toMatch(/(^|;\s*)sandbox(;|$)/);
  });
});
