import { signRequest } from '@wp-edge/core';
import { z } from 'zod';
import { CliError } from './errors.ts';
import { localEdgeUrl } from './local-edge.ts';
import { sql } from './sql.ts';
import { executeSql, type Target } from './wrangler.ts';

const KeyRow = z.object({ id: z.string(), secret: z.string(), host: z.string() });

/**
 * Purges pages (or the whole site) from the edge cache, with a request signed by one of
 * the site's node keys, as an agent would send it.
 */
export async function purge(
  siteId: string,
  urls: string[],
  edgeUrl: string | undefined,
  target: Target,
) {
  const [rows] = await executeSql(
    [
      sql`SELECT k.id, k.secret, h.host FROM node_keys k JOIN nodes n ON n.id = k.node_id JOIN site_hosts h ON h.site_id = n.site_id WHERE n.site_id = ${siteId} AND k.expires_at IS NULL ORDER BY n.role = 'primary' DESC LIMIT 1`,
    ],
    target,
  );
  const key = z.array(KeyRow).parse(rows?.results ?? [])[0];
  if (!key)
    throw new CliError(
      `site ${siteId} has no node with a current key; add one with: npx wp-edge nodes add`,
    );
  const url = new URL(
    '/agent/purge',
    edgeUrl ?? (target.remote ? `https://${key.host}` : localEdgeUrl()),
  );
  const body = JSON.stringify(urls.length > 0 ? { urls } : {});
  const headers = await signRequest({
    method: 'POST',
    url,
    body,
    keyId: key.id,
    secret: key.secret,
  });
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { ...headers, 'content-type': 'application/json' },
  }).catch((error: Error) => {
    throw new CliError(`cannot reach the edge at ${url.origin}: ${error.message}`);
  });
  if (!response.ok)
    throw new CliError(`the edge refused the purge (${response.status}): ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}
