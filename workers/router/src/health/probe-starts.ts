import { nodes, sites } from '@wp-edge/core/db';
import { and, eq, exists, inArray, isNull } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { registryOf } from './node-registry.ts';

// Registries started per cron run: each is one Durable Object call, so a run's cost stays
// bounded however many sites are added at once (or were there before probes moved).
export const SITES_STARTED_PER_RUN = 40;

/**
 * The cron's part in probing: tells the registry of each site not probed yet (a new site, once
 * it has a node) to probe its nodes from its own alarm from now on, and marks it in D1. Probing itself, and
 * learning of added or removed nodes, is then the registry's; a removed site's wipe stops it.
 */
export async function startSiteProbes(env: Env, nowMs = Date.now()): Promise<number> {
  const db = drizzle(env.DB);
  const waiting = await db
    .select({ id: sites.id })
    .from(sites)
    .where(
      and(
        isNull(sites.probesStartedAt),
        exists(db.select().from(nodes).where(eq(nodes.siteId, sites.id))),
      ),
    )
    .limit(SITES_STARTED_PER_RUN);
  const started = await Promise.allSettled(
    waiting.map(async ({ id }) => {
      await registryOf(env, id).startProbing();
      return id;
    }),
  );
  const ids = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (ids.length > 0)
    await db.update(sites).set({ probesStartedAt: nowMs }).where(inArray(sites.id, ids));
  return ids.length;
}
