import type { NodeHealth } from '@wp-edge/core';
import { type RegistryView, registryOf } from './node-registry.ts';

const MAX_AGE_MS = 5_000;

interface Copy extends RegistryView {
  fetchedAtMs: number;
  refreshing: boolean;
}

// Per isolate and site: the router's copy of node health, at most a few seconds old,
// refreshed in the background so the hot path never waits on the registry.
const copies = new Map<string, Copy>();

/**
 * The site's node health, cache generation and page purges as this isolate last heard them; a copy older than 5 s is refreshed
 * in the background. Before the first answer every node counts as up.
 */
export function healthCopy(
  env: Env,
  siteId: string,
  waitUntil: (promise: Promise<unknown>) => void,
  nowMs = Date.now(),
) {
  const copy = copies.get(siteId) ?? {
    health: {},
    cacheGeneration: 0,
    purgedPages: {},
    purgeHorizonMs: 0,
    fetchedAtMs: 0,
    refreshing: false,
  };
  copies.set(siteId, copy);
  if (nowMs - copy.fetchedAtMs > MAX_AGE_MS && !copy.refreshing) {
    copy.refreshing = true;
    waitUntil(
      registryOf(env, siteId)
        .view()
        .then((view) => {
          copy.health = view.health;
          copy.cacheGeneration = view.cacheGeneration;
          copy.purgedPages = view.purgedPages;
          copy.purgeHorizonMs = view.purgeHorizonMs;
          copy.fetchedAtMs = Date.now();
        })
        .finally(() => {
          copy.refreshing = false;
        }),
    );
  }
  return copy;
}

/** Whether a node counts as up in a health copy (unknown nodes do). */
export const isUp = (health: Record<string, NodeHealth>, nodeId: string) =>
  health[nodeId]?.up ?? true;
