import { env, exports } from 'cloudflare:workers';
import { SiteStatus } from '@wp-edge/core';
import { issueStatusToken } from '@wp-edge/core/provision';
import { drizzle } from 'drizzle-orm/d1';
import { importJWK, SignJWT } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { heartbeat, signedSite } from './heartbeats.ts';

const db = drizzle(env.DB);
const TEAM = 'team.cloudflareaccess.com';
const AUD = 'status-app-aud';

async function page(host: string, path: string, headers: Record<string, string> = {}) {
  return exports.default.fetch(`https://${host}${path}`, { headers, redirect: 'manual' });
}

async function accessJwt(audience: string): Promise<string> {
  const key = await importJWK(inject('accessKey'), 'RS256');
  return new SignJWT({ email: 'owner@blog.example' })
    .setProtectedHeader({ alg: 'RS256', kid: 'stand-in-key' })
    .setIssuer(`https://${TEAM}`)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

describe('the status page’s access control', () => {
  it('refuses a request without credentials with 401, never cached or indexed', async () => {
    const { host } = await signedSite('closed');
    for (const path of ['/__wp-edge/status', '/__wp-edge/status.json']) {
      const response = await page(host, path);
      expect(response.status).toBe(401);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-robots-tag')).toBe('noindex, nofollow');
      expect(await response.text()).toContain('npx wp-edge status token closed');
    }
  });

  it('refuses another site’s token with 403 and an unknown or expired one with 401', async () => {
    const { host } = await signedSite('mine');
    await signedSite('theirs');
    const theirs = await issueStatusToken(db, 'theirs', { label: 'test' });
    const expired = await issueStatusToken(db, 'mine', {
      label: 'test',
      expiresInMs: 1000,
      nowMs: Date.now() - 5000,
    });
    const as = (token: string) =>
      page(host, '/__wp-edge/status.json', { authorization: `Bearer ${token}` });
    expect((await as(theirs)).status).toBe(403);
    expect((await as(expired)).status).toBe(401);
    expect((await as('wpe_status_made-up')).status).toBe(401);
  });

  it('moves a token in the query into a cookie for the status page only, and serves the page with it', async () => {
    const { host } = await signedSite('cookie');
    const token = await issueStatusToken(db, 'cookie', { label: 'test' });
    const first = await page(host, `/__wp-edge/status?token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/__wp-edge/status');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^__Secure-wp_edge_status=wpe_status_\w+; Max-Age=43200; Path=\/__wp-edge\/status; HttpOnly; Secure; SameSite=Strict$/,
    );
    const second = await page(host, '/__wp-edge/status', { cookie: cookie.split(';')[0] ?? '' });
    expect(second.status).toBe(200);
    expect(second.headers.get('content-type')).toMatch(/^text\/html/);
    expect(second.headers.get('cache-control')).toBe('no-store');
    expect(await second.text()).toContain('<h1>Status of cookie</h1>');
  });

  it('lets in a Cloudflare Access JWT the team signed for the site’s audience, and no other', async () => {
    const { host } = await signedSite('behind-access', {
      status: {
        accessTeamDomain: TEAM,
        accessAud: AUD,
        accessCertsUrl: `${inject('receiverBase')}/access/certs`,
      },
    });
    const as = async (jwt: string) =>
      (await page(host, '/__wp-edge/status.json', { 'cf-access-jwt-assertion': jwt })).status;
    expect(await as(await accessJwt(AUD))).toBe(200);
    expect(await as(await accessJwt('another-app'))).toBe(401);
    expect(await as('not.a.jwt')).toBe(401);
  });
});

describe('what the status shows', () => {
  it('gives each node’s state with its reason, heartbeat, lag and quarantine, and is unhealthy with a node down', async () => {
    const { host, a, b } = await signedSite('shown', { health: { fall: 1 } });
    const generation = `${new Date(Date.now() - 90_000).toISOString().replace(/[-:.]/g, '')}-${a.id}`;
    await heartbeat(host, a.id, {
      quarantined: 0,
      viewsCopiedAt: '2026-12-01T10:00:00.000Z',
      contentGeneration: generation,
    });
    await heartbeat(host, b.id, { databaseOk: false, quarantined: 2 });
    const token = await issueStatusToken(db, 'shown', { label: 'test' });
    const response = await page(host, '/__wp-edge/status.json', {
      authorization: `Bearer ${token}`,
    });
    const status = SiteStatus.parse(await response.json());
    expect(status.healthy).toBe(false);
    expect(status.nodes).toEqual([
      expect.objectContaining({
        id: a.id,
        role: 'primary',
        up: true,
        reason: 'up (heartbeat: heartbeat ok)',
        heartbeatAgeSeconds: expect.any(Number),
        quarantined: 0,
        viewsCopiedAt: '2026-12-01T10:00:00.000Z',
        lag: { entries: null, seconds: null },
        content: { generation, ageSeconds: expect.closeTo(90, -1) },
      }),
      expect.objectContaining({
        id: b.id,
        up: false,
        reason: 'down after 1 failed checks (heartbeat: database: connection refused)',
        quarantined: 2,
        content: { generation: null, ageSeconds: null },
        changes: [expect.objectContaining({ up: false })],
      }),
    ]);
    expect(status.alerts.map((alert) => alert.kind)).toEqual(['node-down', 'quarantine']);
    expect(status.views).toEqual({ today: 0, top: [] });
    expect(status.comments).toEqual({ held: 0, latestHeld: [] });
  });
});
