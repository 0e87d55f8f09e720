import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { SiteSettings } from '../src/config/site.ts';
import { findSite } from '../src/config/site-directory.ts';
import { type SiteSnapshot, snapshotDocument } from '../src/config/snapshot.ts';

function snapshot(id: string, host: string): SiteSnapshot {
  return {
    id,
    hosts: [host],
    settings: SiteSettings.parse({}),
    nodes: [{ id: `${id}-a`, originUrl: 'http://127.0.0.2:8081', role: 'primary', weight: 100 }],
    publishedAt: new Date().toISOString(),
  };
}

describe('finding a site by host name', () => {
  it('returns the snapshot published for the host, whatever its case', async () => {
    await env.SITE_CONFIG.put(
      'host:found.example',
      JSON.stringify(snapshot('found', 'found.example')),
    );
    expect((await findSite(env.SITE_CONFIG, 'Found.Example'))?.id).toBe('found');
  });

  it('returns undefined for a host no site claims', async () => {
    expect(await findSite(env.SITE_CONFIG, 'nobody.example')).toBeUndefined();
  });

  it('serves its copy while one background read renews it past 5 s, and sees the new snapshot after', async () => {
    const now = Date.now() + 60_000;
    await env.SITE_CONFIG.put(
      'host:cached.example',
      JSON.stringify(snapshot('one', 'cached.example')),
    );
    expect((await findSite(env.SITE_CONFIG, 'cached.example', { nowMs: now }))?.id).toBe('one');
    await env.SITE_CONFIG.put(
      'host:cached.example',
      JSON.stringify(snapshot('two', 'cached.example')),
    );
    const background: Promise<unknown>[] = [];
    const waitUntil = (promise: Promise<unknown>) => background.push(promise);
    const at = (nowMs: number) => findSite(env.SITE_CONFIG, 'cached.example', { waitUntil, nowMs });
    expect((await at(now + 4_999))?.id).toBe('one');
    expect(background).toHaveLength(0);
    // Past 5 s the answer comes from memory, not a promise: the request waits on nothing.
    const served = at(now + 5_001);
    expect(served).not.toBeInstanceOf(Promise);
    expect((served as SiteSnapshot | undefined)?.id).toBe('one');
    expect((await at(now + 5_002))?.id).toBe('one');
    expect(background).toHaveLength(1);
    await Promise.all(background);
    expect((await at(now + 5_003))?.id).toBe('two');
  });

  it('never serves a copy over 30 s old: the first request after reads KV first', async () => {
    const now = Date.now() + 90_000;
    await env.SITE_CONFIG.put('host:idle.example', JSON.stringify(snapshot('one', 'idle.example')));
    const background: Promise<unknown>[] = [];
    const waitUntil = (promise: Promise<unknown>) => background.push(promise);
    const at = (nowMs: number) => findSite(env.SITE_CONFIG, 'idle.example', { waitUntil, nowMs });
    expect((await at(now))?.id).toBe('one');
    await env.SITE_CONFIG.put('host:idle.example', JSON.stringify(snapshot('two', 'idle.example')));
    expect((await at(now + 30_001))?.id).toBe('two');
    expect(background).toHaveLength(0);
  });

  it('reads KV once for requests that all wait on the same host', async () => {
    await env.SITE_CONFIG.put(
      'host:crowd.example',
      JSON.stringify(snapshot('crowd', 'crowd.example')),
    );
    const reads: string[] = [];
    const counting = {
      get: (key: string, type: 'json') => {
        reads.push(key);
        return env.SITE_CONFIG.get(key, type);
      },
    };
    const sites = await Promise.all(
      Array.from({ length: 20 }, () => findSite(counting, 'crowd.example')),
    );
    expect(sites.map((site) => site?.id)).toEqual(Array(20).fill('crowd'));
    expect(reads).toEqual(['host:crowd.example']);
  });

  it('starts its cache afresh rather than grow without bound on made-up host names', async () => {
    const now = Date.now() + 120_000;
    await env.SITE_CONFIG.put(
      'host:kept.example',
      JSON.stringify(snapshot('kept', 'kept.example')),
    );
    const reads: string[] = [];
    const counting = {
      get: (key: string, type: 'json') => {
        reads.push(key);
        return env.SITE_CONFIG.get(key, type);
      },
    };
    await findSite(counting, 'kept.example', { nowMs: now });
    await findSite(counting, 'kept.example', { nowMs: now });
    expect(reads).toEqual(['host:kept.example']);
    const nobody = { get: async () => null };
    for (let i = 0; i < 10_000; i++) await findSite(nobody, `made-up-${i}.example`, { nowMs: now });
    expect((await findSite(counting, 'kept.example', { nowMs: now }))?.id).toBe('kept');
    expect(reads).toEqual(['host:kept.example', 'host:kept.example']);
  });

  it('fails loudly on a snapshot that is not valid, naming the fix', async () => {
    await env.SITE_CONFIG.put('host:broken.example', '{"id":"broken"}');
    await expect(findSite(env.SITE_CONFIG, 'broken.example')).rejects.toThrow(
      /host:broken.example is not valid \(.*\); republish it with: npx wp-edge sites publish/,
    );
  });

  it('refuses a snapshot of a format version it does not know, naming the version and the fix', async () => {
    const future = { ...snapshot('future', 'future.example'), v: 2 };
    await env.SITE_CONFIG.put('host:future.example', JSON.stringify(future));
    await expect(findSite(env.SITE_CONFIG, 'future.example')).rejects.toThrow(
      'KV entry host:future.example is in format version 2, but this code reads version 1; republish it with: npx wp-edge sites publish',
    );
  });

  it('reads a snapshot written with its format version as the CLI publishes it', async () => {
    const site = snapshot('versioned', 'versioned.example');
    await env.SITE_CONFIG.put('host:versioned.example', snapshotDocument(site));
    expect(JSON.parse((await env.SITE_CONFIG.get('host:versioned.example')) ?? '{}').v).toBe(1);
    expect(await findSite(env.SITE_CONFIG, 'versioned.example')).toEqual(site);
  });
});
