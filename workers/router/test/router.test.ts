import { env, exports } from 'cloudflare:workers';
import { SiteSettings, type SiteSnapshot } from '@wp-edge/core';
import { describe, expect, inject, it } from 'vitest';
import type { OriginEcho } from './loopback-origin.ts';

async function publish(host: string, nodes: SiteSnapshot['nodes']) {
  const site: SiteSnapshot = {
    id: host.split('.')[0] ?? 'site',
    hosts: [host],
    settings: SiteSettings.parse({}),
    nodes,
    publishedAt: new Date().toISOString(),
  };
  await env.SITE_CONFIG.put(`host:${host}`, JSON.stringify(site));
}

function loopbackNode(id = 'a'): SiteSnapshot['nodes'][number] {
  return { id, originUrl: inject('originUrl'), role: 'primary', weight: 100 };
}

describe('router', () => {
  it('serves a GET from the site’s node', async () => {
    await publish('served.example', [loopbackNode()]);
    const response = await exports.default.fetch('https://served.example/2026/11/hello-world/?p=1');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-origin')).toBe('a');
    const echo = (await response.json()) as OriginEcho;
    expect(echo).toMatchObject({ method: 'GET', url: '/2026/11/hello-world/?p=1' });
  });

  it('passes the body of a write through to the node', async () => {
    await publish('writes.example', [loopbackNode()]);
    const response = await exports.default.fetch('https://writes.example/wp-admin/admin-ajax.php', {
      method: 'POST',
      body: 'action=heartbeat',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect((await response.json()) as OriginEcho).toMatchObject({
      method: 'POST',
      body: 'action=heartbeat',
    });
  });

  it('tells the node who the client is and which host was asked for', async () => {
    await publish('forwarded.example', [loopbackNode()]);
    const response = await exports.default.fetch('https://forwarded.example/', {
      headers: {
        'cf-connecting-ip': '203.0.113.7',
        'x-forwarded-for': '10.0.0.1',
        connection: 'keep-alive, x-private',
        'x-private': '1',
      },
    });
    const { headers } = (await response.json()) as OriginEcho;
    expect(headers).toMatchObject({
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-host': 'forwarded.example',
      'x-forwarded-proto': 'https',
    });
    expect(headers['x-private']).toBeUndefined();
  });

  it('hands a node’s redirect to the browser instead of following it', async () => {
    await publish('redirects.example', [loopbackNode()]);
    const response = await exports.default.fetch('https://redirects.example/redirect', {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://169.254.169.254/latest/meta-data/');
  });

  it('marks the comment forms of a page with the node that rendered it, and no other form', async () => {
    await publish('forms.example', [loopbackNode('forms-a')]);
    const page = await (
      await exports.default.fetch('https://forms.example/with-comment-form/')
    ).text();
    expect(page).toContain(
      '<textarea name="comment"></textarea><input type="hidden" name="wp_edge_node" value="forms-a"></form>',
    );
    expect(page).toContain('<form action="/search"></form>');
  });

  it('answers 404 with the fix for a host no site claims', async () => {
    const response = await exports.default.fetch('https://unknown.example/');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toBe(
      'no site is configured for host unknown.example; add one with: npx wp-edge sites add',
    );
  });

  it('never passes on a client’s own X-Forwarded-For', async () => {
    await publish('no-forged-for.example', [loopbackNode()]);
    const response = await exports.default.fetch('https://no-forged-for.example/', {
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(((await response.json()) as OriginEcho).headers['x-forwarded-for']).toBeUndefined();
  });

  it('answers 502 without naming the node or its error when the node cannot be reached', async () => {
    await publish('down.example', [{ ...loopbackNode('down-a'), originUrl: 'http://127.0.0.9:9' }]);
    const response = await exports.default.fetch('https://down.example/');
    expect(response.status).toBe(502);
    const { detail } = (await response.json()) as { detail: string };
    expect(detail).toBe('the site’s server could not be reached; try again in a moment');
  });

  it('sends a WordPress page under /agent/ to the node as a normal read', async () => {
    await publish('agent-page.example', [loopbackNode()]);
    const response = await exports.default.fetch('https://agent-page.example/agent/about/');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-origin')).toBe('a');
  });

  it('answers 503 with Retry-After for a site without nodes', async () => {
    await publish('empty.example', []);
    const response = await exports.default.fetch('https://empty.example/');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('60');
  });
});

describe('router and the Workers behind it', () => {
  it('reports itself and every bound Worker healthy', async () => {
    const response = await exports.default.fetch('https://any.example/__wp-edge/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      service: 'router',
      status: 'ok',
      workers: { comments: 'ok', views: 'ok', images: 'ok' },
    });
  });

  it.each([
    ['POST', '/wp-comments-post.php'],
    ['POST', '/api/comments'],
    ['GET', '/api/views?posts=1'],
    ['GET', '/api/random-image'],
    ['GET', '/agent/comments?after=0'],
    ['POST', '/agent/cursor'],
  ])('hands %s %s to its Worker over a service binding, not to a node', async (method, path) => {
    await publish('bound.example', [loopbackNode()]);
    const response = await exports.default.fetch(`https://bound.example${path}`, { method });
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('x-origin')).toBeNull();
  });

  it.each([
    '/wp-comments-post.php',
    '//wp-comments-post.php',
    '/wp-comments-post.php/',
    '/wp-comments-post.php/extra',
    '/%77p-comments-post.php',
    '/./wp-comments-post.php',
  ])('hands a comment posted to %s to the comments Worker, never the node', async (path) => {
    await publish('comment-paths.example', [loopbackNode()]);
    const response = await exports.default.fetch(`https://comment-paths.example${path}`, {
      method: 'POST',
      body: 'comment_post_ID=1&author=Ann&email=ann%40example.com&comment=Hello',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.headers.get('x-origin')).toBeNull();
    // The comments Worker's own refusal page (this site has no catalog yet), which no node sends.
    expect(await response.text()).toContain('<title>Comment Submission Failure</title>');
  });
});
