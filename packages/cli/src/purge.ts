import { signRequest } from '@wp-edge/core';
import { siteSigningKey } from '@wp-edge/core/provision';
import type { CliStore } from './bindings.ts';
import { CliError } from './errors.ts';

/**
 * Purges pages (or the whole site) from the edge cache, with a request signed by one of
 * the site's node keys, as an agent would send it.
 */
export async function purge(
  store: CliStore,
  siteId: string,
  pages: string[],
  edgeUrl: string | undefined,
  edge: { remote: boolean; localUrl: string },
) {
  const key = await siteSigningKey(store.db, siteId);
  if (!key)
    throw new CliError(
      `site ${siteId} has no node with a current key; add one with: npx wp-edge nodes add`,
    );
  const url = new URL(
    '/agent/purge',
    edgeUrl ?? (edge.remote ? `https://${key.host}` : edge.localUrl),
  );
  const body = JSON.stringify(pages.length > 0 ? { pages } : {});
  const headers = await signRequest({
    method: 'POST',
    url,
    body,
    keyId: key.keyId,
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
