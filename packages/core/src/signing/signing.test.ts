import { describe, expect, it } from 'vitest';
import { MemoryReplayGuard } from './replay-guard.ts';
import { signRequest } from './sign.ts';
import { verifyRequest } from './verify.ts';

const KEY = { id: 'key-1', secret: 'a'.repeat(64) };
const URL_ = 'https://edge.example.com/agent/comments?limit=10&after=42';
const BODY = '{"cursor":42}';
const NOW = new Date('2026-11-24T12:00:00Z');

async function signed(overrides: Partial<Parameters<typeof signRequest>[0]> = {}) {
  const headers = await signRequest({
    method: 'POST',
    url: URL_,
    body: BODY,
    keyId: KEY.id,
    secret: KEY.secret,
    now: NOW,
    ...overrides,
  });
  return { method: 'POST', url: URL_, headers: new Headers(headers), body: BODY };
}

function options(at = NOW, replayGuard = new MemoryReplayGuard()) {
  return {
    findKey: async (id: string) => (id === KEY.id ? KEY : undefined),
    replayGuard,
    now: at,
  };
}

describe('request signing', () => {
  it('accepts a request signed with a current key', async () => {
    const result = await verifyRequest(await signed(), options());
    expect(result).toEqual({ ok: true, key: KEY });
  });

  it('accepts the query parameters in any order', async () => {
    const request = await signed();
    const reordered = {
      ...request,
      url: 'https://edge.example.com/agent/comments?after=42&limit=10',
    };
    expect((await verifyRequest(reordered, options())).ok).toBe(true);
  });

  it('accepts binary bodies signed as bytes', async () => {
    const body = new Uint8Array([0, 255, 1, 254]);
    const request = { ...(await signed({ body })), body };
    expect((await verifyRequest(request, options())).ok).toBe(true);
  });

  it.each([
    ['body', { body: '{"cursor":43}' }],
    ['path', { url: 'https://edge.example.com/agent/cursor?limit=10&after=42' }],
    ['query', { url: 'https://edge.example.com/agent/comments?limit=10&after=0' }],
    ['method', { method: 'PUT' }],
  ])('refuses a request whose %s was tampered with', async (_part, change) => {
    const result = await verifyRequest({ ...(await signed()), ...change }, options());
    expect(result).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a request whose timestamp header was changed', async () => {
    const request = await signed();
    request.headers.set('x-wp-edge-timestamp', String(Math.floor(NOW.getTime() / 1000) + 1));
    expect(await verifyRequest(request, options())).toMatchObject({ reason: 'bad-signature' });
  });

  it('refuses a request signed with another secret', async () => {
    const request = await signed({ secret: 'b'.repeat(64) });
    expect(await verifyRequest(request, options())).toMatchObject({ reason: 'bad-signature' });
  });

  it.each([
    ['older', -301],
    ['newer', 301],
  ])('refuses a signature more than five minutes %s than now', async (_when, seconds) => {
    const later = new Date(NOW.getTime() - seconds * 1000);
    expect(await verifyRequest(await signed(), options(later))).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('accepts a signature inside the window', async () => {
    const later = new Date(NOW.getTime() + 299_000);
    expect((await verifyRequest(await signed(), options(later))).ok).toBe(true);
  });

  it('refuses the same signed request the second time', async () => {
    const request = await signed();
    const guard = new MemoryReplayGuard();
    expect((await verifyRequest(request, options(NOW, guard))).ok).toBe(true);
    expect(await verifyRequest(request, options(NOW, guard))).toMatchObject({
      ok: false,
      reason: 'replayed',
    });
  });

  it('refuses a replay in the last second its request is still accepted', async () => {
    const request = await signed();
    const guard = new MemoryReplayGuard();
    expect((await verifyRequest(request, options(NOW, guard))).ok).toBe(true);
    const lastMoment = new Date(NOW.getTime() + 300_999);
    expect((await verifyRequest(request, options(lastMoment, new MemoryReplayGuard()))).ok).toBe(
      true,
    );
    expect(await verifyRequest(request, options(lastMoment, guard))).toMatchObject({
      ok: false,
      reason: 'replayed',
    });
  });

  it('does not spend the nonce of a request with a bad signature', async () => {
    const guard = new MemoryReplayGuard();
    const good = await signed({ nonce: 'n-1' });
    await verifyRequest({ ...good, body: 'tampered' }, options(NOW, guard));
    expect((await verifyRequest(good, options(NOW, guard))).ok).toBe(true);
  });

  it('refuses an unknown key id', async () => {
    const request = await signed({ keyId: 'key-2' });
    expect(await verifyRequest(request, options())).toMatchObject({ reason: 'unknown-key' });
  });

  it('refuses a request without signature headers', async () => {
    const request = { method: 'GET', url: URL_, headers: new Headers() };
    expect(await verifyRequest(request, options())).toMatchObject({ reason: 'missing' });
  });

  it('refuses a signature that is not hex', async () => {
    const request = await signed();
    request.headers.set('x-wp-edge-signature', 'v1=not-hex');
    expect(await verifyRequest(request, options())).toMatchObject({ reason: 'malformed' });
  });

  it('accepts either key of a node during a rotation', async () => {
    const keys = [KEY, { id: 'key-2', secret: 'c'.repeat(64) }];
    const find = async (id: string) => keys.find((key) => key.id === id);
    for (const key of keys) {
      const request = await signed({ keyId: key.id, secret: key.secret });
      const result = await verifyRequest(request, { ...options(), findKey: find });
      expect(result).toEqual({ ok: true, key });
    }
  });
});
