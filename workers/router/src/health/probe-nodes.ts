import { ORIGIN_SECRET_HEADER, SiteSettings } from '@wp-edge/core';
import { nodes, sites } from '@wp-edge/core/db';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { registryOf } from './node-registry.ts';

async function probe(
  url: string,
  timeoutSeconds: number,
  originSecret: string | null,
): Promise<{ ok: boolean; detail: string }> {
  try {
    const response = await fetch(url, {
      redirect: 'manual',
      // As edge traffic, so a node that refuses anything else still answers its probe.
      headers: originSecret ? { [ORIGIN_SECRET_HEADER]: originSecret } : {},
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    await response.body?.cancel();
    return { ok: response.status < 500, detail: `answered ${response.status}` };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

/**
 * The Cron Trigger's work: the edge asks every node of every site for its probe path
 * itself, so a node whose agent is gone (or lying) still has its health judged.
 */
export async function probeNodes(env: Env): Promise<number> {
  const rows = await drizzle(env.DB)
    .select({
      siteId: sites.id,
      settings: sites.settings,
      originSecret: sites.originSecret,
      nodeId: nodes.id,
      originUrl: nodes.originUrl,
    })
    .from(nodes)
    .innerJoin(sites, eq(sites.id, nodes.siteId));
  await Promise.all(
    rows.map(async (row) => {
      const { health } = SiteSettings.parse(row.settings);
      const result = await probe(
        `${row.originUrl}${health.probePath}`,
        health.timeoutSeconds,
        row.originSecret,
      );
      await registryOf(env, row.siteId).record(
        row.nodeId,
        result.ok,
        result.detail,
        'probe',
        health,
      );
    }),
  );
  return rows.length;
}
