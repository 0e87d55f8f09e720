import { DurableObject } from 'cloudflare:workers';
import { type GenerationPurge, generationTimeMs, wipeStorage } from '@wp-edge/core';
import { STALE_COPY_MS } from './edge-cache.ts';

// A page's purge must outlive any copy cached before it: its stale copy lives longest.
const PURGE_REMEMBERED_MS = STALE_COPY_MS;
// What the router's copy carries at most; a site purging more pages than this at once
// should purge the whole site.
const MAX_PURGED_PAGES = 1_000;

/** A page's URLs on each of the site's hosts, by either scheme: the keys its copies are cached under. */
export function pageUrls(hosts: string[], paths: string[]): string[] {
  return hosts.flatMap((host) =>
    paths.flatMap((path) => ['https', 'http'].map((scheme) => `${scheme}://${host}${path}`)),
  );
}

/** What releasing held purges did: the whole site, or these page URLs. */
export type ReleasedPurge = { site: true } | { site: false; urls: string[] };

/** What each router isolate keeps a copy of, to know which cached copies it may serve. */
export interface PurgeView {
  /** Cached pages of older generations are never served. */
  cacheGeneration: number;
  /** Page URL → when it was purged (ms). */
  purgedPages: Record<string, number>;
  /** Copies stored before this (ms) may have been purged without `purgedPages` saying so. */
  purgeHorizonMs: number;
}

/**
 * One per site: the purges of its edge cache, which reach every location through the routers'
 * copies of `view()`: the cache generation (a site purge moves to the next) and recent page
 * purges.
 */
export class PagePurges extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS cache_state (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS purged_pages (url TEXT PRIMARY KEY, purged_at_ms INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS held_purges (generation TEXT PRIMARY KEY, generation_ms INTEGER NOT NULL, purge TEXT NOT NULL);
    `);
  }

  /** The site's edge-cache generation: cached pages of older generations are never served. */
  cacheGeneration(): number {
    const [row] = this.ctx.storage.sql
      .exec<{ generation: number }>('SELECT generation FROM cache_state WHERE id = 1')
      .toArray();
    return row?.generation ?? 0;
  }

  /** Forgets the site's cache generation and purges (`sites remove`); returns the rows left per table. */
  wipe(): Promise<Record<string, number>> {
    return wipeStorage(this.ctx.storage);
  }

  /** Purges the whole site from the edge cache, everywhere: the next generation starts empty. */
  purgeSite(): number {
    const next = this.cacheGeneration() + 1;
    this.ctx.storage.sql.exec(
      'INSERT OR REPLACE INTO cache_state (id, generation) VALUES (1, ?)',
      next,
    );
    return next;
  }

  /**
   * Purges pages from the edge cache in every location: each router's copy learns when each
   * page was purged, and no copy cached before that is served again.
   */
  purgePages(urls: string[]): void {
    const nowMs = Date.now();
    for (const url of urls)
      this.ctx.storage.sql.exec(
        'INSERT OR REPLACE INTO purged_pages (url, purged_at_ms) VALUES (?, ?)',
        url,
        nowMs,
      );
    this.ctx.storage.sql.exec(
      'DELETE FROM purged_pages WHERE purged_at_ms < ?',
      nowMs - PURGE_REMEMBERED_MS,
    );
  }

  /**
   * Holds a content generation's purge (paths, or the whole site) until every node readers are
   * sent to serves that generation: purged earlier, a node still on the old content would put
   * the old page back in the cache.
   */
  holdForGeneration(generation: string, purge: GenerationPurge): void {
    this.ctx.storage.sql.exec(
      'INSERT OR REPLACE INTO held_purges (generation, generation_ms, purge) VALUES (?, ?, ?)',
      generation,
      generationTimeMs(generation),
      JSON.stringify(purge),
    );
  }

  /**
   * Carries out, on each of `hosts`, every held purge of a generation no newer than `served`
   * (the oldest one readers can get), at once and in one step with forgetting them.
   */
  releaseHeld(served: string, hosts: string[]): ReleasedPurge {
    const due = this.ctx.storage.sql
      .exec<{ purge: string }>(
        'SELECT purge FROM held_purges WHERE generation_ms <= ?',
        generationTimeMs(served),
      )
      .toArray()
      .map((row) => JSON.parse(row.purge) as GenerationPurge);
    this.ctx.storage.sql.exec(
      'DELETE FROM held_purges WHERE generation_ms <= ?',
      generationTimeMs(served),
    );
    if (due.some((purge) => purge === 'site')) {
      this.purgeSite();
      return { site: true };
    }
    const urls = pageUrls(hosts, [...new Set(due.flat())]);
    if (urls.length > 0) this.purgePages(urls);
    return { site: false, urls };
  }

  /**
   * The cache generation, when each recently purged page was purged (ms), and the horizon
   * before which a copy may have been purged unseen: the purges forgotten, or left out past
   * the most a router's copy carries.
   */
  view(): PurgeView {
    const rows = this.ctx.storage.sql
      .exec<{ url: string; purged_at_ms: number }>(
        'SELECT url, purged_at_ms FROM purged_pages ORDER BY purged_at_ms DESC LIMIT ?',
        MAX_PURGED_PAGES + 1,
      )
      .toArray();
    const left = rows.length > MAX_PURGED_PAGES ? rows.slice(0, MAX_PURGED_PAGES) : rows;
    const oldestKeptMs = rows.length > MAX_PURGED_PAGES ? (left.at(-1)?.purged_at_ms ?? 0) : 0;
    return {
      cacheGeneration: this.cacheGeneration(),
      purgedPages: Object.fromEntries(left.map((row) => [row.url, row.purged_at_ms])),
      purgeHorizonMs: Math.max(Date.now() - PURGE_REMEMBERED_MS, oldestKeptMs),
    };
  }
}

/** The edge-cache purges of a site. */
export function purgesOf(env: Env, siteId: string) {
  return env.PAGE_PURGES.get(env.PAGE_PURGES.idFromName(siteId));
}
