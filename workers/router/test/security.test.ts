import { exports } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import type { OriginEcho } from './loopback-origin.ts';
import { provisionSite } from './provisioned-site.ts';

async function site(id: string, security: Record<string, unknown> = {}): Promise<string> {
  const node = {
    id: `${id}-a`,
    originUrl: inject('originUrl'),
    role: 'primary',
    weight: 100,
  } as const;
  await provisionSite(id, [node], { security });
  return `https://${id}.example`;
}

const fetchFrom = (url: string, address: string, init: RequestInit = {}) =>
  exports.default.fetch(url, {
    redirect: 'manual',
    ...init,
    headers: { 'cf-connecting-ip': address, ...init.headers },
  });

describe('edge security', () => {
  it('blocks XML-RPC unless the site turns it on', async () => {
    const blocked = await exports.default.fetch(`${await site('xmlrpc-off')}/xmlrpc.php`, {
      method: 'POST',
      body: '<methodCall/>',
    });
    expect(blocked.status).toBe(403);
    expect(blocked.headers.get('x-origin')).toBeNull();
    expect(blocked.headers.get('x-content-type-options')).toBe('nosniff');
    expect(blocked.headers.get('strict-transport-security')).toContain('max-age=');
    const open = await exports.default.fetch(
      `${await site('xmlrpc-on', { blockXmlrpc: false })}/xmlrpc.php`,
      { method: 'POST', body: '<methodCall/>' },
    );
    expect(open.headers.get('x-origin')).toBe('a');
  });

  it.each(['//xmlrpc.php', '/xmlrpc.php/', '/%78mlrpc.php'])(
    'blocks XML-RPC however its path is written (%s)',
    async (path) => {
      const blocked = await exports.default.fetch(`${await site('xmlrpc-tricks')}${path}`, {
        method: 'POST',
        body: '<methodCall/>',
      });
      expect(blocked.status).toBe(403);
      expect(blocked.headers.get('x-origin')).toBeNull();
    },
  );

  it.each([
    '/%2Fwp-login.php',
    '/x%2F..%2Fwp-login.php',
    '/%2fxmlrpc.php',
    '/wp-admin%2Fpost.php',
    '/%5Cwp-login.php',
    '/wp-login.php%00.jpg',
    '/%2Fwp-comments-post.php',
    '/%2F%2Fevil.example/',
    '/..%2F..%2Fetc/passwd',
  ])('refuses %s with 400 before any rule or node sees it', async (path) => {
    const response = await fetchFrom(`${await site('odd-paths')}${path}`, '192.0.2.7', {
      method: 'POST',
      body: 'log=admin&pwd=guess',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-origin')).toBeNull();
    expect(((await response.json()) as { detail: string }).detail).toMatch(/encoded slash/);
  });

  it.each([
    '/wp-content/.wp-edge-kept/manifest.json',
    '/wp-content/.wp-edge-staging/',
    '/.git/config',
    '/.env',
    '/wp-content/uploads/.htaccess',
    '/%2Egit/HEAD',
    '//.env',
    '/.well-knownx/',
  ])('answers %s with 404 and never asks a node: no hidden file is served', async (path) => {
    const response = await fetchFrom(`${await site('hidden-paths')}${path}`, '192.0.2.8');
    expect(response.status).toBe(404);
    expect(response.headers.get('x-origin')).toBeNull();
    expect(((await response.json()) as { detail: string }).detail).toMatch(/starts with a dot/);
  });

  it('passes /.well-known/ on to the node (ACME challenges, security.txt)', async () => {
    const response = await fetchFrom(
      `${await site('well-known')}/.well-known/security.txt`,
      '192.0.2.9',
    );
    expect(response.headers.get('x-origin')).toBe('a');
  });

  it('keeps credentialed REST requests to the allowlist, like the admin', async () => {
    const base = await site('allowlist-rest', { adminAllowlist: ['203.0.113.0/24'] });
    const credentials = { authorization: 'Basic YWRtaW46YXBwIHBhc3N3b3Jk' };
    for (const path of ['/wp-json/wp/v2/users/me', '/?rest_route=/wp/v2/posts'])
      expect(
        (await fetchFrom(`${base}${path}`, '198.51.100.1', { headers: credentials })).status,
      ).toBe(403);
    const allowed = await fetchFrom(`${base}/wp-json/wp/v2/users/me`, '203.0.113.9', {
      headers: credentials,
    });
    expect(allowed.headers.get('x-origin')).toBe('a');
    expect(
      (await fetchFrom(`${base}/wp-json/wp/v2/posts`, '198.51.100.1')).headers.get('x-origin'),
    ).toBe('a');
  });

  it('keeps the admin closed to addresses off the allowlist however its path is written', async () => {
    const base = await site('allowlist-tricks', { adminAllowlist: ['203.0.113.0/24'] });
    for (const path of [
      '//wp-admin/',
      '/%77p-admin/',
      '/%77p-login.php',
      '/wp-login.php/x',
      '/wp-login%2Ephp',
    ])
      expect((await fetchFrom(`${base}${path}`, '198.51.100.1')).status).toBe(403);
  });

  it('opens the admin to the allowlist only, when the site has one', async () => {
    const base = await site('allowlist', { adminAllowlist: ['203.0.113.0/24', '2001:db8::1'] });
    expect((await fetchFrom(`${base}/wp-admin/`, '198.51.100.1')).status).toBe(403);
    expect((await fetchFrom(`${base}/wp-login.php`, '198.51.100.1')).status).toBe(403);
    expect((await fetchFrom(`${base}/wp-admin/`, '203.0.113.77')).headers.get('x-origin')).toBe(
      'a',
    );
    expect((await fetchFrom(`${base}/wp-admin/`, '2001:db8::1')).headers.get('x-origin')).toBe('a');
    expect((await fetchFrom(`${base}/hello-world/`, '198.51.100.1')).headers.get('x-origin')).toBe(
      'a',
    );
  });

  it('slows password guessing: too many sign-in posts from one address get 429', async () => {
    const base = await site('login-limit');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (
          await fetchFrom(`${base}/wp-login.php`, '192.0.2.99', {
            method: 'POST',
            body: 'log=admin&pwd=guess',
          })
        ).status,
      );
    }
    expect(statuses.slice(0, 10).every((status) => status === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const other = await fetchFrom(`${base}/wp-login.php`, '192.0.2.100', {
      method: 'POST',
      body: 'log=admin&pwd=x',
    });
    expect(other.status).toBe(200);
  });

  it('adds the security headers a WordPress site should send', async () => {
    const response = await exports.default.fetch(`${await site('headers')}/`);
    expect(
      Object.fromEntries(
        [...response.headers].filter(([name]) =>
          /strict|x-content|x-frame|security-policy|referrer/.test(name),
        ),
      ),
    ).toEqual({
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'content-security-policy': "frame-ancestors 'self'",
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
  });

  it('adds the security headers to a page served from the edge cache', async () => {
    const base = await site('cached-headers');
    const page = `${base}/html/cached/`;
    await exports.default.fetch(page).then((response) => response.text());
    await expect
      .poll(async () => {
        const response = await exports.default.fetch(page);
        await response.text();
        return response.headers.get('x-wp-edge-cache');
      })
      .toBe('HIT');
    const hit = await exports.default.fetch(page);
    await hit.text();
    expect(hit.headers.get('x-content-type-options')).toBe('nosniff');
    expect(hit.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(hit.headers.get('strict-transport-security')).toContain('max-age=');
  });

  it.each(['//169.254.169.254/latest/meta-data/', '/@evil.example/', '/http://evil.example/'])(
    'fetches only the configured node, whatever the path: %s',
    async (path) => {
      const response = await exports.default.fetch(`${await site(`ssrf-${path.length}`)}${path}`);
      expect(response.headers.get('x-origin')).toBe('a');
      expect(((await response.json()) as OriginEcho).url).toBe(path);
    },
  );

  it('sends the site’s origin secret to the node, never one a client made up, whatever its Connection header names', async () => {
    const host = 'secret.example';
    const { originSecret } = await provisionSite('secret', [
      { id: 'secret-a', originUrl: inject('originUrl'), role: 'primary', weight: 100 },
    ]);
    const response = await exports.default.fetch(`https://${host}/`, {
      headers: { 'x-wp-edge-origin-secret': 'forged' },
    });
    expect(((await response.json()) as OriginEcho).headers['x-wp-edge-origin-secret']).toBe(
      originSecret,
    );
    const named = await exports.default.fetch(`https://${host}/`, {
      headers: { connection: 'x-wp-edge-origin-secret' },
    });
    expect(((await named.json()) as OriginEcho).headers['x-wp-edge-origin-secret']).toBe(
      originSecret,
    );
    expect(originSecret).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fetches nothing for a host that is not a site’s', async () => {
    const response = await exports.default.fetch('https://169.254.169.254/latest/meta-data/');
    expect(response.status).toBe(404);
    expect(response.headers.get('x-origin')).toBeNull();
  });
});
