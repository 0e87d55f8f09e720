import { env, exports } from 'cloudflare:workers';
import { AGENT_ROUTES, signRequest } from '@wp-edge/core';
import { addNode, bindingStore, createSite, rotateNodeKey } from '@wp-edge/core/provision';
import { describe, expect, inject, it } from 'vitest';

const store = bindingStore(env.DB, env.SITE_CONFIG);
const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

interface Key {
  keyId: string;
  secret: string;
}

/** A site `<id>.example` (and `www.<id>.example`) with a primary and a secondary node, provisioned as the CLI does. */
async function site(id: string) {
  await createSite(store, { id, hosts: [`${id}.example`, `www.${id}.example`] });
  const keys: Record<'primary' | 'secondary', Key> = {
    primary: { keyId: `${id}-a-key`, secret: 'a'.repeat(64) },
    secondary: { keyId: `${id}-b-key`, secret: 'b'.repeat(64) },
  };
  await addNode(
    store,
    id,
    { id: `${id}-a`, originUrl: inject('originUrl'), role: 'primary' },
    { key: keys.primary },
  );
  await addNode(
    store,
    id,
    { id: `${id}-b`, originUrl: inject('originUrl') },
    { key: keys.secondary },
  );
  return { base: `https://${id}.example`, ...keys };
}

/** A request signed with `key`, sent to the router at `url` (the host the agent's config names). */
async function signed(key: Key, method: 'GET' | 'POST', url: string, body?: unknown) {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers = await signRequest({ method, url, ...(text ? { body: text } : {}), ...key });
  return exports.default.fetch(url, {
    method,
    ...(text ? { body: text } : {}),
    headers: { ...headers, 'content-type': 'application/json' },
  });
}

describe('the agent gateway', () => {
  it.each(Object.values(AGENT_ROUTES))(
    'refuses $method $path unsigned, or signed with an unknown key, with 401',
    async ({ method, path }) => {
      const { base } = await site(`unsigned-${path.split('/')[2]}`);
      const bare = await exports.default.fetch(`${base}${path}`, { method });
      expect(bare.status).toBe(401);
      const stranger = await signed(
        { keyId: 'nobody', secret: 'x'.repeat(64) },
        method,
        `${base}${path}`,
        method === 'POST' ? {} : undefined,
      );
      expect(stranger.status).toBe(401);
      expect(((await stranger.json()) as { type: string }).type).toBe(
        'urn:wp-edge:signature:unknown-key',
      );
    },
  );

  it('serves a node whatever host its config names: the key says which site', async () => {
    const { secondary } = await site('any-host');
    const response = await signed(secondary, 'GET', 'http://127.0.0.1:8787/agent/comments?after=0');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ events: [], next: 0, head: 0 });
  });

  it('serves the content sync whatever host the node’s config names', async () => {
    const { primary } = await site('any-host-sync');
    const response = await signed(primary, 'GET', 'http://127.0.0.1:8787/agent/sync/latest');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ generation: null, role: 'primary' });
  });

  it.each([
    ['after=-1', 'after must be a log position'],
    ['limit=1001', 'limit must be between 1 and 1000'],
    ['wait=120', 'wait must be between 0 and 60 seconds'],
  ])('refuses a pull with ?%s with a 400 saying what is wrong', async (query, message) => {
    const { base, secondary } = await site(`bad-pull-${query.split('=')[0]}`);
    const response = await signed(secondary, 'GET', `${base}/agent/comments?${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain(message);
  });

  it('refuses a catalog too big for one request with a 400', async () => {
    const { base, primary } = await site('catalog-big');
    const removedPosts = Array.from({ length: 1001 }, (_, i) => i + 1);
    const response = await signed(primary, 'POST', `${base}/agent/catalog`, { removedPosts });
    expect(response.status).toBe(400);
  });

  it('refuses the catalog from a secondary with 403 and an agent API problem type', async () => {
    const { base, secondary } = await site('catalog-secondary');
    const response = await signed(secondary, 'POST', `${base}/agent/catalog`, { posts: [] });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      type: 'urn:wp-edge:agent:not-primary',
      detail:
        "only the site's primary node may send the catalog; catalog-secondary-b is a secondary",
    });
  });

  it('refuses a replayed moderation report, changing nothing the second time', async () => {
    const { base, primary, secondary } = await site('replayed');
    const url = `${base}/agent/moderation`;
    const body = JSON.stringify({ changes: [{ commentId: 'no-such-comment', status: 'spam' }] });
    const headers = {
      ...(await signRequest({ method: 'POST', url, body, ...primary })),
      'content-type': 'application/json',
    };
    const first = await exports.default.fetch(url, { method: 'POST', body, headers });
    expect(await first.json()).toEqual({ applied: 0, skipped: ['no-such-comment'], head: 0 });
    const again = await exports.default.fetch(url, { method: 'POST', body, headers });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { type: string }).type).toBe('urn:wp-edge:signature:replayed');
    const pull = await signed(secondary, 'GET', `${base}/agent/comments?after=0`);
    expect(((await pull.json()) as { head: number }).head).toBe(0);
  });

  it('takes an acknowledgement: the cursor recorded, and the pages purged by path on every host of the site', async () => {
    const { base, secondary } = await site('acked');
    const response = await signed(secondary, 'POST', 'http://127.0.0.1/agent/ack', {
      cursor: 0,
      purge: ['/hello-world/', 'http://127.0.0.3:8080/?p=7'],
    });
    expect(await response.json()).toEqual({ cursor: 0, lag: 0, purged: 0 });
    const cursor = await env.DB.prepare(
      "SELECT cursor FROM node_cursors WHERE node_id = 'acked-b'",
    ).first();
    expect(cursor).toEqual({ cursor: 0 });
    const purges = env.PAGE_PURGES.get(env.PAGE_PURGES.idFromName('acked'));
    const purged = Object.keys((await purges.view()).purgedPages);
    for (const host of [new URL(base).host, 'www.acked.example'])
      for (const path of ['/hello-world/', '/?p=7'])
        expect(purged).toContain(`https://${host}${path}`);
    expect(purged.some((url) => url.includes('127.0.0'))).toBe(false);
  });

  it('reads the view counts of the caller’s site through the views Worker', async () => {
    const { base, secondary } = await site('viewed');
    for (let i = 0; i < 2; i++) {
      const view = await exports.default.fetch(`${base}/api/views`, {
        method: 'POST',
        body: JSON.stringify({ postId: 5 }),
        headers: { 'user-agent': BROWSER, 'cf-connecting-ip': `198.51.100.${i + 1}` },
      });
      expect(await view.json()).toEqual({ counted: true });
    }
    const response = await signed(secondary, 'GET', 'http://127.0.0.1/agent/views?posts=5,6');
    expect(await response.json()).toEqual({
      posts: { 5: { views: 2, visitors: 2 }, 6: { views: 0, visitors: 0 } },
    });
  });

  it('takes a rotated node key at once, and stops taking the old one within seconds', async () => {
    const { base, secondary } = await site('rotated');
    const url = `${base}/agent/health`;
    expect((await signed(secondary, 'GET', url)).status).toBe(200);
    const rotated = await rotateNodeKey(store.db, 'rotated-b', 0);
    const rotatedAtMs = Date.now();
    expect((await signed(rotated, 'GET', url)).status).toBe(200);
    await expect
      .poll(async () => (await signed(secondary, 'GET', url)).status, {
        timeout: 10_000,
        interval: 250,
      })
      .toBe(401);
    expect(Date.now() - rotatedAtMs).toBeLessThan(7_000);
  });
});
