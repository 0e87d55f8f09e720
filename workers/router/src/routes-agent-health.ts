import {
  findSite,
  Heartbeat,
  MAX_PURGE_URLS,
  ProblemError,
  SiteSettings,
  validate,
} from '@wp-edge/core';
import { requireNodeSignature, sites } from '@wp-edge/core/db';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { Hono } from 'hono';
import { z } from 'zod';
import { siteCache } from './cache/edge-cache.ts';
import { purgesOf } from './cache/page-purges.ts';
import { registryOf } from './health/node-registry.ts';

const PurgeRequest = z.object({
  urls: z
    .array(z.url({ protocol: /^https?$/ }))
    .min(1)
    .max(MAX_PURGE_URLS)
    .optional(),
});

const MIB = 1024 * 1024;

/** A heartbeat judged: the node's own checks, and whether its disk has room left. */
function summary(
  heartbeat: Heartbeat,
  settings: SiteSettings['health'],
): { ok: boolean; detail: string } {
  const failed = Object.entries(heartbeat.checks)
    .filter(([, check]) => check && !check.ok)
    .map(([name, check]) => `${name}: ${check?.detail ?? 'failed'}`);
  const free = heartbeat.diskFreeBytes;
  if (free !== undefined && free < settings.minFreeDiskMb * MIB)
    failed.push(`disk: ${Math.floor(free / MIB)} MiB free, below ${settings.minFreeDiskMb} MiB`);
  return failed.length === 0
    ? { ok: true, detail: 'heartbeat ok' }
    : { ok: false, detail: failed.join('; ') };
}

/** A site's rise and fall thresholds, whatever host name its agents reach the edge by. */
async function healthSettings(db: D1Database, siteId: string): Promise<SiteSettings['health']> {
  const [row] = await drizzle(db)
    .select({ settings: sites.settings })
    .from(sites)
    .where(eq(sites.id, siteId));
  return SiteSettings.parse(row?.settings ?? {}).health;
}

// On each route, not the whole `/agent` prefix: the site's own pages may live under `/agent/`.
const signed = requireNodeSignature();

/** The agents' health API: signed heartbeats in, and what the edge thinks of the node out. */
export const agentHealthRoutes = new Hono<{ Bindings: Env }>()
  .post('/heartbeat', signed, validate('json', Heartbeat), async (c) => {
    const { nodeId, siteId } = c.var.agentKey;
    const thresholds = await healthSettings(c.env.DB, siteId);
    const heartbeat = c.req.valid('json');
    const { ok, detail } = summary(heartbeat, thresholds);
    const registry = registryOf(c.env, siteId);
    if (heartbeat.contentGeneration)
      await registry.recordContent(nodeId, heartbeat.contentGeneration);
    return c.json(await registry.record(nodeId, ok, detail, 'heartbeat', thresholds));
  })
  .post('/purge', signed, validate('json', PurgeRequest), async (c) => {
    const { siteId } = c.var.agentKey;
    const { urls } = c.req.valid('json');
    if (!urls)
      return c.json({
        purged: 'site',
        cacheGeneration: await purgesOf(c.env, siteId).purgeSite(),
      });
    const pages = urls.map((url) => new URL(url));
    const sites = await Promise.all(
      pages.map((page) => findSite(c.env.SITE_CONFIG, page.hostname)),
    );
    if (sites.some((site) => site?.id !== siteId)) {
      throw new ProblemError(403, `a node of site ${siteId} may purge only that site's pages`);
    }
    const purges = purgesOf(c.env, siteId);
    await purges.purgePages(pages.map((page) => page.href));
    const view = await purges.view();
    const site = sites[0];
    const cache = site
      ? siteCache(site, view, (promise) => c.executionCtx.waitUntil(promise))
      : undefined;
    // Gone here at once; every other location drops its copy when its copy of the purges refreshes.
    const purged = cache ? await Promise.all(pages.map((page) => cache.purge(page))) : [];
    return c.json({ purged: 'urls', urls: purged.filter(Boolean).length });
  })
  .get('/health', signed, async (c) => {
    const { nodeId, siteId } = c.var.agentKey;
    const registry = registryOf(c.env, siteId);
    const [health, changes] = await Promise.all([registry.health(), registry.changes(10)]);
    return c.json({
      node: nodeId,
      health: health[nodeId] ?? null,
      changes: changes.filter((change) => change.nodeId === nodeId),
    });
  });
