import { env } from 'cloudflare:workers';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, it } from 'vitest';
import { D1ReplayGuard } from '../src/db/index.ts';

const NOW = Date.parse('2026-11-24T12:00:00Z');

describe('D1 replay guard', () => {
  it('accepts a nonce once and refuses it after', async () => {
    const guard = new D1ReplayGuard(drizzle(env.DB));
    const claim = { keyId: 'k', nonce: 'n-1', expiresAtMs: NOW + 300_000, nowMs: NOW };
    expect(await guard.claim(claim)).toBe(true);
    expect(await guard.claim(claim)).toBe(false);
    expect(await guard.claim({ ...claim, keyId: 'other' })).toBe(true);
  });

  it('forgets nonces whose window has passed', async () => {
    const guard = new D1ReplayGuard(drizzle(env.DB));
    await guard.claim({ keyId: 'expiring', nonce: 'old', expiresAtMs: NOW, nowMs: NOW - 1 });
    await guard.claim({ keyId: 'expiring', nonce: 'new', expiresAtMs: NOW + 9e5, nowMs: NOW + 1 });
    const { results } = await env.DB.prepare('SELECT nonce FROM request_nonces WHERE key_id = ?')
      .bind('expiring')
      .all();
    expect(results).toEqual([{ nonce: 'new' }]);
  });
});
