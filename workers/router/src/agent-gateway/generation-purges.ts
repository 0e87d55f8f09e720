import type { AgentCaller, Manifest } from '@wp-edge/core';
import { purgesOf } from '../cache/page-purges.ts';
import { oldestServedGeneration } from '../content-freshness.ts';
import { registryOf } from '../health/node-registry.ts';
import { purgeHere } from './purge-pages.ts';
import { siteRecord } from './site-record.ts';

/**
 * Carries out the site's held content purges that every node readers are sent to has caught
 * up with (`oldestServedGeneration`): on every host of the site, in this location at once and
 * everywhere else as each location's copy of the purges refreshes. Called whenever a node's
 * generation or health may have moved: a commit, a heartbeat.
 */
export async function releaseContentPurges(env: Env, siteId: string): Promise<void> {
  const [record, health] = await Promise.all([
    siteRecord(env.DB, siteId),
    registryOf(env, siteId).health(),
  ]);
  const served = oldestServedGeneration(record, health);
  if (!served) return;
  const purges = purgesOf(env, siteId);
  const released = await purges.releaseHeld(served, record.hosts);
  if (!released.site) await purgeHere(purges, released.urls);
}

/**
 * A committed generation's purge, held until every serving node reports the generation (the
 * primary too, in its next heartbeat); carried out at once when they already do.
 */
export async function holdContentPurge(
  env: Env,
  { siteId }: AgentCaller,
  manifest: Manifest,
): Promise<void> {
  if (!manifest.purge) return;
  await purgesOf(env, siteId).holdForGeneration(manifest.generation, manifest.purge);
  await releaseContentPurges(env, siteId);
}
