import type { NodeHealth } from '@wp-edge/core';
import { isolateCopies } from '../isolate-copy.ts';
import { registryOf } from './node-registry.ts';

// Per isolate and site: the router's copy of node health (`isolate-copy.ts` bounds its age).
const copies = isolateCopies<Record<string, NodeHealth>>();

/**
 * The site's node health as this isolate last heard it from the registry, renewed in the
 * background. When the registry cannot be asked and there is no copy, every node counts as up.
 */
export function healthCopy(
  env: Env,
  siteId: string,
  waitUntil: (promise: Promise<unknown>) => void,
): Record<string, NodeHealth> | Promise<Record<string, NodeHealth>> {
  const health = copies.get(siteId, () => registryOf(env, siteId).health(), waitUntil);
  return health instanceof Promise ? health.catch(() => ({})) : health;
}

/** Whether a node counts as up in a health copy (unknown nodes do). */
export const isUp = (health: Record<string, NodeHealth>, nodeId: string) =>
  health[nodeId]?.up ?? true;
