import { exports } from 'cloudflare:workers';
import { REPLY_MAIL_PATH, signRequest } from '@wp-edge/core';
import { addNode, createSite, requireSite } from '@wp-edge/core/provision';
import { describe, expect, inject, it } from 'vitest';
import type { OriginEcho } from './loopback-origin.ts';
import { type Node, store } from './provisioned-site.ts';

/** The signing key the tests give a node. */
const KEY = (nodeId: string) => ({
  keyId: `${nodeId}-key`,
  secret: `${nodeId}-secret`.padEnd(64, 'x'),
});

/** Provisions the site of `<id>.example` once, with these nodes named after it (`<id>-<node>`). */
async function publish(host: string, nodes: Node[]) {
  const id = host.split('.')[0] ?? 'site';
  if (await requireSite(store.db, id).catch(() => undefined)) return;
  await createSite(store, { id, hosts: [host] });
  for (const node of nodes) {
    const nodeId = node.id.startsWith(`${id}-`) ? node.id : `${id}-${node.id}`;
    await addNode(store, id, { ...node, id: nodeId }, { key: KEY(nodeId) });
  }
}

function loopbackNode(id = 'a'): Node {
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

  it.each(['/agent/about/', '/agent/comments/', '/agent/health/x'])(
    'sends a WordPress page at %s to the node as a normal read',
    async (path) => {
      await publish('agent-page.example', [loopbackNode()]);
      const response = await exports.default.fetch(`https://agent-page.example${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-origin')).toBe('a');
    },
  );

  it('answers 503 with Retry-After for a site without nodes', async () => {
    await publish('without-nodes.example', []);
    const response = await exports.default.fetch('https://without-nodes.example/');
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

  /** Signs a request to bound.example with the key of its node, as its agent would. */
  async function signed(method: string, path: string, body?: string): Promise<RequestInit> {
    const headers = await signRequest({
      method,
      url: `https://bound.example${path}`,
      body: body ?? '',
      ...KEY('bound-a'),
    });
    return { method, headers: { ...headers, 'content-type': 'application/json' }, body };
  }

  it.each<[string, string, () => Promise<RequestInit>, (response: Response) => Promise<void>]>([
    [
      'POST',
      '/wp-comments-post.php',
      async () => ({ method: 'POST' }),
      async (response) => {
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('<title>Comment Submission Failure</title>');
      },
    ],
    [
      'POST',
      '/api/comments',
      async () => ({ method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }),
      async (response) => {
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({
          detail: 'invalid body: postId: is required; content: is required',
        });
      },
    ],
    [
      'POST',
      REPLY_MAIL_PATH,
      async () => ({ method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }),
      async (response) => {
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({
          type: 'urn:wp-edge:signature:missing',
        });
      },
    ],
    [
      'GET',
      '/api/views?posts=1',
      async () => ({}),
      async (response) => {
        expect(await response.json()).toEqual({
          posts: { 1: { views: 0, visitors: 0 } },
          paths: {},
        });
      },
    ],
    [
      'GET',
      '/api/random-image',
      async () => ({}),
      async (response) => {
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({
          detail:
            'site bound has no images yet; upload some with: npx wp-edge images sync <folder> --site bound',
        });
      },
    ],
    [
      'GET',
      '/agent/comments?after=0',
      () => signed('GET', '/agent/comments?after=0'),
      async (response) => {
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ events: [], head: 0 });
      },
    ],
    [
      'POST',
      '/agent/ack',
      () => signed('POST', '/agent/ack', JSON.stringify({ cursor: 0 })),
      async (response) => {
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ cursor: 0, lag: 0, purged: 0 });
      },
    ],
  ])(
    'hands %s %s to its Worker over a service binding, not to a node',
    async (_method, path, init, check) => {
      await publish('bound.example', [loopbackNode()]);
      const response = await exports.default.fetch(`https://bound.example${path}`, await init());
      expect(response.headers.get('x-origin')).toBeNull();
      await check(response);
    },
  );

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
