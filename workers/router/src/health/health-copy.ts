import type { NodeHealth } from '@wp-edge/core';
import { type IsolateCopies, isolateCopy } from '../isolate-copy.ts';
import { registryOf } from './node-registry.ts';

// Per isolate and site: the router's copy of node health, at most a few seconds old.
const copies: IsolateCopies<Record<string, NodeHealth>> = new Map();

/**
 * The site's node health as this isolate last heard it from the registry, refreshed in the
 * background. Before the first answer every node counts as up.
 */
export function healthCopy(
  env: Env,
  siteId: string,
  waitUntil: (promise: Promise<unknown>) => void,
): Record<string, NodeHealth> {
  return isolateCopy(
    copies,
    siteId,
    () => ({}),
    () => registryOf(env, siteId).health(),
    waitUntil,
  );
}

/** Whether a node counts as up in a health copy (unknown nodes do). */
export const isUp = (health: Record<string, NodeHealth>, nodeId: string) =>
  health[nodeId]?.up ?? true;
