import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { NODE_KEY_CACHE_MS, nodeKeys, requireNodeSignature } from '../src/db/index.ts';
import { problemErrorHandler } from '../src/errors/handler.ts';
import { createLogger } from '../src/logger.ts';
import { addNode, bindingStore, createSite, readSites } from '../src/provision/index.ts';
import { signRequest } from '../src/signing/sign.ts';

const app = new Hono<{ Bindings: Cloudflare.Env }>();
app.onError(problemErrorHandler(createLogger({}, { write: () => {} })));
app.post('/agent/echo', requireNodeSignature(), async (c) =>
  c.json({ key: c.var.agentKey, body: await c.req.json() }),
);

const store = bindingStore(env.DB, env.SITE_CONFIG);

async function nodeWithKey(nodeId: string, keyExpiresAt: number | null = null) {
  if ((await readSites(store.db, ['signed'])).length === 0)
    await createSite(store, { id: 'signed', hosts: ['signed.example'] });
  const key = { keyId: `key-${nodeId}`, secret: 's'.repeat(64) };
  await addNode(store, 'signed', { id: nodeId, originUrl: 'http://127.0.0.2' }, { key });
  if (keyExpiresAt !== null) {
    await store.db
      .update(nodeKeys)
      .set({ expiresAt: new Date(keyExpiresAt) })
      .where(eq(nodeKeys.id, key.keyId));
  }
  return key;
}

async function post(
  key: { keyId: string; secret: string },
  body = '{"cursor":1}',
  sentBody = body,
) {
  const url = 'https://edge.example/agent/echo';
  const headers = await signRequest({ method: 'POST', url, body, ...key });
  return app.request(url, { method: 'POST', body: sentBody, headers }, env);
}

describe('agent requests signed with a node key', () => {
  it('pass with the node, its site and role known to the route', async () => {
    const response = await post(await nodeWithKey('signed-a'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      key: {
        keyId: 'key-signed-a',
        secret: 's'.repeat(64),
        nodeId: 'signed-a',
        siteId: 'signed',
        role: 'secondary',
      },
      body: { cursor: 1 },
    });
  });

  it('pass with a rotated key until it expires, and not after', async () => {
    const soon = await post(await nodeWithKey('signed-b', Date.now() + 60_000));
    expect(soon.status).toBe(200);
    const expired = await post(await nodeWithKey('signed-c', Date.now() - 1));
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { type: string }).type).toBe(
      'urn:wp-edge:signature:unknown-key',
    );
  });

  it('are refused when replayed, with nothing done the second time', async () => {
    const key = await nodeWithKey('signed-d');
    const url = 'https://edge.example/agent/echo';
    const headers = await signRequest({ method: 'POST', url, body: '{}', ...key });
    expect((await app.request(url, { method: 'POST', body: '{}', headers }, env)).status).toBe(200);
    const again = await app.request(url, { method: 'POST', body: '{}', headers }, env);
    expect(again.status).toBe(401);
    expect(again.headers.get('www-authenticate')).toBe('WP-EDGE-HMAC-SHA256');
    expect(((await again.json()) as { type: string }).type).toBe('urn:wp-edge:signature:replayed');
  });

  it('are refused when the body was changed on the way', async () => {
    const response = await post(await nodeWithKey('signed-e'), '{"cursor":1}', '{"cursor":9}');
    expect(response.status).toBe(401);
    expect(((await response.json()) as { type: string }).type).toBe(
      'urn:wp-edge:signature:bad-signature',
    );
  });

  it('stop passing within seconds of their key being removed, the key read from D1 at most that often', async () => {
    const key = await nodeWithKey('signed-f');
    expect((await post(key)).status).toBe(200);
    await store.db.delete(nodeKeys).where(eq(nodeKeys.id, key.keyId));
    const removedAtMs = Date.now();
    // Still known to this isolate for a moment: the removal is not read at once.
    expect((await post(key)).status).toBe(200);
    await expect
      .poll(async () => (await post(key)).status, { timeout: NODE_KEY_CACHE_MS * 2, interval: 250 })
      .toBe(401);
    expect(Date.now() - removedAtMs).toBeLessThan(NODE_KEY_CACHE_MS + 2_000);
  });

  it('are refused without a signature', async () => {
    const response = await app.request(
      'https://edge.example/agent/echo',
      { method: 'POST', body: '{}' },
      env,
    );
    expect(response.status).toBe(401);
    expect(((await response.json()) as { detail: string }).detail).toBe(
      'this endpoint needs a request signed with a node key',
    );
  });
});
