import { createLogger } from '@wp-edge/core';
import { siteRemovals } from '@wp-edge/core/db';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { viewsAgent } from './agent-gateway/agent-workers.ts';
import { purgesOf } from './cache/page-purges.ts';
import { registryOf } from './health/node-registry.ts';

// Sites emptied per cron run: each is a few Durable Object calls.
const SITES_PER_RUN = 20;

const log = createLogger({ service: 'router' });

/**
 * Empties the Durable Objects (node health, page purges, view counts) of sites the CLI removed,
 * which it cannot reach itself, and forgets each removal once nothing of the site is left.
 */
export async function wipeRemovedSites(env: Env): Promise<void> {
  const db = drizzle(env.DB);
  const removed = await db.select().from(siteRemovals).limit(SITES_PER_RUN);
  for (const { siteId } of removed) {
    const left = (
      await Promise.all([
        registryOf(env, siteId).wipe(),
        purgesOf(env, siteId).wipe(),
        viewsAgent(env).forgetSite(siteId),
      ])
    )
      .flat()
      .filter((rows) => Object.values(rows).some((count) => count > 0));
    if (left.length > 0) {
      log.warn('a removed site still has state; trying again next minute', { siteId });
      continue;
    }
    await db.delete(siteRemovals).where(eq(siteRemovals.siteId, siteId));
  }
}
