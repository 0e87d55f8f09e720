import { problemResponse } from '@wp-edge/core';

const RETRY_AFTER_SECONDS = '30';
const MESSAGE =
  'The site’s main server is not answering, so signing in, editing and other changes are paused. Reading the site works as usual; please try again in a minute.';

/** The answer to admin and writes while the primary is away: 503 with Retry-After, a page for browsers. */
export function maintenanceAnswer(request: Request): Response {
  const headers = { 'retry-after': RETRY_AFTER_SECONDS, 'cache-control': 'no-store' };
  if (request.headers.get('accept')?.includes('text/html')) {
    const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Back in a moment</title></head><body><h1>Back in a moment</h1><p>${MESSAGE}</p></body></html>`;
    return new Response(html, {
      status: 503,
      headers: { ...headers, 'content-type': 'text/html; charset=utf-8' },
    });
  }
  return problemResponse(
    { type: 'urn:wp-edge:maintenance', title: 'Service Unavailable', status: 503, detail: MESSAGE },
    headers,
  );
}
