import { generationTimeMs, type NodeHealth, type SiteSnapshot } from '@wp-edge/core';
import { isStale } from '../content-freshness.ts';
import type { SyncReports } from '../health/sync-reports.ts';
import { primaryOf } from '../pick-node.ts';
import type { Condition } from './conditions.ts';

/** A span of time for people: `45 s`, `12 min`, `3 h`, `2 days`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

/**
 * How long newer content has waited for a node: since the oldest generation it lacks was
 * dumped, as far as the generations nodes reported show; at most as long as the primary's.
 */
function waitingSinceMs(generations: string[], own: string | undefined, newest: string): number {
  const lacked = generations.find((generation) => !own || generation > own) ?? newest;
  return generationTimeMs(lacked < newest ? lacked : newest);
}

/**
 * Each node up whose content is older than the primary's by more than `sync.maxStalenessSeconds`
 * (readers are kept off it) and has waited that long for newer content: a publish after a quiet
 * week is no alert while the nodes import it.
 */
function behindConditions(
  site: SiteSnapshot,
  health: Record<string, NodeHealth>,
  generations: string[],
  nowMs: number,
): Condition[] {
  const primary = primaryOf(site);
  const newest = primary ? health[primary.id]?.contentGeneration : undefined;
  if (!primary || !newest) return [];
  const maxMs = site.settings.sync.maxStalenessSeconds * 1000;
  const conditions: Condition[] = [];
  for (const node of site.nodes) {
    if (health[node.id]?.up === false || !isStale(site, health, node.id)) continue;
    const own = health[node.id]?.contentGeneration;
    const waitedMs = nowMs - waitingSinceMs(generations, own, newest);
    if (waitedMs <= maxMs) continue;
    const gap = own
      ? `generation ${own}, ${duration(generationTimeMs(newest) - generationTimeMs(own))} older than`
      : 'no generation yet, behind';
    conditions.push({
      key: `content-behind:${node.id}`,
      kind: 'content-behind',
      nodeId: node.id,
      detail: `it serves ${gap} the primary’s ${newest}, and newer content has waited ${duration(waitedMs)} for it (sync.maxStalenessSeconds is ${site.settings.sync.maxStalenessSeconds})`,
    });
  }
  return conditions;
}

/** Each node whose last content sync pass failed, with what failed. */
function failedConditions(site: SiteSnapshot, failures: SyncReports['failures']): Condition[] {
  return site.nodes.flatMap((node) => {
    const failure = failures[node.id];
    if (!failure) return [];
    const what =
      node.role === 'primary'
        ? 'publishing a generation failed, so the other nodes get no newer content'
        : 'importing the newest generation failed; it goes on serving the content it had';
    return [
      {
        key: `sync-failed:${node.id}`,
        kind: 'sync-failed',
        nodeId: node.id,
        detail: `${what} (at ${failure.at}: ${failure.error})`,
      },
    ];
  });
}

/** The content sync's conditions of a site: nodes behind the primary's content, failing syncs. */
export function syncConditions(
  site: SiteSnapshot,
  health: Record<string, NodeHealth>,
  reports: SyncReports,
  nowMs: number,
): Condition[] {
  return [
    ...behindConditions(site, health, reports.generations, nowMs),
    ...failedConditions(site, reports.failures),
  ];
}

/** The one-time notices of nodes' own edits kept before an import, not told yet. */
export function keptEditsNotices(
  site: SiteSnapshot,
  reports: SyncReports,
): { condition: Condition; nodeId: string; snapshot: string }[] {
  return site.nodes.flatMap((node) => {
    const kept = reports.untoldKeptEdits[node.id];
    if (!kept) return [];
    const posts = kept.editedPosts === 1 ? '1 post' : `${kept.editedPosts} posts`;
    const condition: Condition = {
      key: `edits-kept:${node.id}:${kept.snapshot}`,
      kind: 'edits-kept',
      nodeId: node.id,
      detail: `${posts} edited on it after generation ${kept.replacedGeneration}; its database as it was is kept in wp-content/.wp-edge-kept/${kept.snapshot}/ on that node`,
    };
    return [{ condition, nodeId: node.id, snapshot: kept.snapshot }];
  });
}
