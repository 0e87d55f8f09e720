import type { AgentCaller, HealthReport, Heartbeat, NodeHealth, SiteSettings } from '@wp-edge/core';
import { registryOf } from '../health/node-registry.ts';
import { siteRecord } from './site-record.ts';

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

/** Records a node's heartbeat against its site's rise and fall thresholds; answers its health. */
export async function recordHeartbeat(
  env: Env,
  { siteId, nodeId }: AgentCaller,
  heartbeat: Heartbeat,
): Promise<NodeHealth> {
  const thresholds = (await siteRecord(env.DB, siteId)).settings.health;
  const { ok, detail } = summary(heartbeat, thresholds);
  return registryOf(env, siteId).record(nodeId, ok, detail, 'heartbeat', thresholds, heartbeat);
}

/** What the edge thinks of the calling node, and its recent changes of state. */
export async function healthReport(
  env: Env,
  { siteId, nodeId }: AgentCaller,
): Promise<HealthReport> {
  const registry = registryOf(env, siteId);
  const [health, changes] = await Promise.all([registry.health(), registry.changes(10)]);
  return {
    node: nodeId,
    health: health[nodeId] ?? null,
    changes: changes.filter((change) => change.nodeId === nodeId),
  };
}
