import type { SiteSnapshot } from '@wp-edge/core';
import { isbot } from 'isbot';
import { isSiteUrl } from '../site-context.ts';

/** Why a view request is not counted. */
export type IgnoredBecause = 'bot' | 'prefetch' | 'cross-site';

const PURPOSE_HEADERS = ['sec-purpose', 'purpose', 'x-purpose', 'x-moz'];

function fromTheSite(headers: Headers, site: SiteSnapshot): boolean {
  const origin = headers.get('origin');
  if (origin !== null) return isSiteUrl(origin, site);
  if (headers.get('sec-fetch-site') === 'cross-site') return false;
  const referer = headers.get('referer');
  return referer === null || isSiteUrl(referer, site);
}

/** Why this request must not count as a view, or undefined when it is a reader's view. */
export function reasonToIgnore(request: Request, site: SiteSnapshot): IgnoredBecause | undefined {
  const agent = request.headers.get('user-agent');
  if (!agent || isbot(agent)) return 'bot';
  const purpose = PURPOSE_HEADERS.map((name) => request.headers.get(name) ?? '').join(' ');
  if (/prefetch|prerender|preview/i.test(purpose)) return 'prefetch';
  if (!fromTheSite(request.headers, site)) return 'cross-site';
  return undefined;
}
