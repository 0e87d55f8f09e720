import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type SiteSnapshot, SiteStatus } from '@wp-edge/core';
import { issueStatusToken } from '@wp-edge/core/provision';
import type { CliStore } from '../bindings.ts';
import { CliError } from '../errors.ts';

// The token `wp-edge status` issues itself for one look (or one --watch session) at the edge.
const LOOK_TOKEN_MS = 15 * 60_000;

/** Where the edge is and which credential opens it, for one run of `wp-edge status`. */
export interface StatusTarget {
  site: SiteSnapshot;
  url: URL;
  token: string;
}

/**
 * Issues a short-lived token for the site's status and says where to read it: the site's
 * own host when remote, the local edge (with the site's host name in `Host`) otherwise.
 */
export async function statusTarget(
  store: CliStore,
  site: SiteSnapshot,
  edgeUrl: string | undefined,
  edge: { remote: boolean; localUrl: string },
): Promise<StatusTarget> {
  const token = await issueStatusToken(store.db, site.id, {
    label: 'wp-edge status',
    expiresInMs: LOOK_TOKEN_MS,
  });
  const base = edgeUrl ?? (edge.remote ? `https://${site.hosts[0]}` : edge.localUrl);
  return { site, url: new URL('/__wp-edge/status.json', base), token };
}

/** GET with the site's host name in `Host`, which fetch would not send. */
function get(url: URL, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, { headers, timeout: 15_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error('no answer within 15 s')));
    request.on('error', reject);
    request.end();
  });
}

/** The site's status as the edge reports it. */
export async function readStatus(target: StatusTarget): Promise<SiteStatus> {
  const { site, url, token } = target;
  const answer = await get(url, {
    host: site.hosts[0] ?? url.host,
    authorization: `Bearer ${token}`,
    accept: 'application/json',
  }).catch((error: Error) => {
    throw new CliError(`cannot reach the edge at ${url.origin}: ${error.message}`);
  });
  if (answer.status !== 200)
    throw new CliError(
      `the edge refused the status of ${site.id} (${answer.status}): ${answer.body.slice(0, 300)}`,
    );
  const parsed = SiteStatus.safeParse(JSON.parse(answer.body));
  if (!parsed.success)
    throw new CliError(
      `the edge at ${url.origin} answered a status this CLI cannot read; update one of them`,
    );
  return parsed.data;
}
