import { type ManifestImage, ProblemError } from '@wp-edge/core';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * An image opened on its own is a document of the blog's origin: an SVG's script would run
 * there. Every image is sandboxed with nothing allowed to load, and an SVG is a download.
 */
function safetyHeaders(contentType: string): Record<string, string> {
  return {
    'content-security-policy': "sandbox; default-src 'none'; style-src 'unsafe-inline'",
    'x-content-type-options': 'nosniff',
    ...(contentType.split(';')[0]?.trim().toLowerCase() === 'image/svg+xml'
      ? { 'content-disposition': 'attachment' }
      : {}),
  };
}

/** Whether a single `bytes=` range can be served from an object of `size` bytes. */
export function satisfiable(range: string, size: number): boolean {
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!match) return true;
  const [, start, end] = match;
  if (start === '') return end !== '' && Number(end) > 0;
  return Number(start) < size && (end === '' || Number(end) >= Number(start));
}

/**
 * Whether R2 withheld the body because If-Match or If-Unmodified-Since failed (412), as
 * against If-None-Match or If-Modified-Since matching (304); RFC 9110 checks them in that order.
 */
function preconditionFailed(headers: Headers, object: R2Object): boolean {
  const ifMatch = headers.get('if-match');
  if (ifMatch !== null)
    return (
      ifMatch.trim() !== '*' &&
      !ifMatch
        .split(',')
        .map((tag) => tag.trim().replace(/^W\//, ''))
        .includes(object.httpEtag)
    );
  const since = headers.get('if-unmodified-since');
  return since !== null && object.uploaded.getTime() > Date.parse(since) + 999;
}

/**
 * An image's bytes from R2 with its content type and ETag, answering conditional requests
 * (304, or 412 when a precondition fails) and byte ranges (206; 416 for a range past the
 * end) as R2 does them.
 */
export async function serveImage(
  bucket: R2Bucket,
  image: ManifestImage,
  headers: Headers,
): Promise<Response> {
  const range = headers.get('range');
  if (range && !satisfiable(range, image.size)) {
    return new Response(null, {
      status: 416,
      headers: { 'content-range': `bytes */${image.size}` },
    });
  }
  const object = await bucket.get(image.key, {
    onlyIf: headers,
    ...(range ? { range: headers } : {}),
  });
  if (!object)
    throw new ProblemError(
      404,
      `image ${image.id} is in the manifest but not in the bucket; run the sync again`,
    );
  const answer = new Headers({
    'content-type': image.contentType,
    etag: object.httpEtag,
    'cache-control': IMMUTABLE,
    'accept-ranges': 'bytes',
    ...safetyHeaders(image.contentType),
  });
  if (!('body' in object))
    return new Response(null, {
      status: preconditionFailed(headers, object) ? 412 : 304,
      headers: answer,
    });
  if (range && object.range && 'offset' in object.range) {
    const offset = object.range.offset ?? 0;
    const length = object.range.length ?? object.size - offset;
    answer.set('content-range', `bytes ${offset}-${offset + length - 1}/${object.size}`);
    return new Response(object.body, { status: 206, headers: answer });
  }
  return new Response(object.body, { status: 200, headers: answer });
}
