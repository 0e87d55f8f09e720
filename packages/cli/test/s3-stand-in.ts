import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** An object as the stand-in stored it: the bytes' hash is taken on this side of the wire. */
export interface StoredObject {
  size: number;
  sha256: string;
  contentType: string | undefined;
}

export interface S3StandInOptions {
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Held before each answer, so requests overlap as they would over the internet. */
  delayMs?: number;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');
// SigV4 signatures are accepted within 15 minutes of the request's X-Amz-Date.
const CLOCK_SKEW_MS = 15 * 60 * 1000;
// R2 takes `auto`, and an empty region or us-east-1 as aliases of it.
const REGIONS = new Set(['auto', 'us-east-1', '']);

class S3Error extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** URI-encodes as SigV4 does: every byte but A-Z a-z 0-9 - . _ ~. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalPath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join('/');
}

function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [key = '', value = ''] = pair.split('=');
      const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
      return [uriEncode(decode(key)), uriEncode(decode(value))] as const;
    })
    .sort(([k1, v1], [k2, v2]) => (k1 === k2 ? (v1 < v2 ? -1 : 1) : k1 < k2 ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

/**
 * Checks a request's SigV4 `Authorization` header as S3 and R2 do, and returns the payload
 * hash it signed (a hex SHA-256, or UNSIGNED-PAYLOAD) for the body to be checked against.
 */
function verifySignature(request: IncomingMessage, options: S3StandInOptions): string {
  const authorization = request.headers.authorization ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]*)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) throw new S3Error(403, 'AccessDenied', 'the request is not signed with SigV4');
  const [, accessKeyId, day, region, service, signedHeaderList, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (accessKeyId !== options.accessKeyId)
    throw new S3Error(403, 'InvalidAccessKeyId', 'the access key id does not exist');
  if (!REGIONS.has(region) || service !== 's3')
    throw new S3Error(
      400,
      'AuthorizationHeaderMalformed',
      `region ${region} or service ${service} is wrong`,
    );
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const when = Date.parse(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  if (!amzDate.startsWith(day) || !(Math.abs(Date.now() - when) < CLOCK_SKEW_MS))
    throw new S3Error(403, 'RequestTimeTooSkewed', 'X-Amz-Date is missing or too far from now');
  const payloadHash = String(request.headers['x-amz-content-sha256'] ?? '');
  if (!/^([0-9a-f]{64}|UNSIGNED-PAYLOAD)$/.test(payloadHash))
    throw new S3Error(
      payloadHash.startsWith('STREAMING-') ? 501 : 400,
      payloadHash.startsWith('STREAMING-') ? 'NotImplemented' : 'InvalidArgument',
      `x-amz-content-sha256 ${payloadHash || '(missing)'} is not taken here`,
    );
  const signedHeaders = signedHeaderList.split(';');
  for (const needed of ['host', 'x-amz-date', 'x-amz-content-sha256'])
    if (!signedHeaders.includes(needed))
      throw new S3Error(403, 'AccessDenied', `${needed} must be a signed header`);
  const [rawPath = '/', rawQuery = ''] = (request.url ?? '/').split('?');
  const canonicalRequest = [
    request.method,
    canonicalPath(rawPath),
    canonicalQuery(rawQuery),
    ...signedHeaders.map((name) => {
      const value = request.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}`;
    }),
    '',
    signedHeaderList,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  let key = hmac(`AWS4${options.secretAccessKey}`, day);
  for (const part of [region, 's3', 'aws4_request']) key = hmac(key, part);
  const expected = hmac(key, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex')))
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your secret access key and signing method.',
    );
  return payloadHash;
}

/** The body's length and SHA-256, read as it arrives. */
async function readBody(request: IncomingMessage): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * A loopback stand-in for R2's S3-compatible API on one bucket, path-style: PutObject,
 * HeadObject and DeleteObject, each refused unless its SigV4 signature holds for the secret,
 * and a PutObject also unless its body matches the signed x-amz-content-sha256 and its
 * Content-Length. Counts the requests in flight at once.
 */
export async function startS3StandIn(options: S3StandInOptions) {
  const objects = new Map<string, StoredObject>();
  const requests: { method: string; key: string; status: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let failures = 0;

  async function answer(
    request: IncomingMessage,
  ): Promise<{ status: number; headers?: Record<string, string> }> {
    const payloadHash = verifySignature(request, options);
    if (failures > 0) {
      failures--;
      throw new S3Error(503, 'SlowDown', 'Reduce your request rate.');
    }
    const [rawPath = '/'] = (request.url ?? '/').split('?');
    const [, bucket, ...rest] = rawPath.split('/').map((segment) => decodeURIComponent(segment));
    if (bucket !== options.bucket)
      throw new S3Error(404, 'NoSuchBucket', `The specified bucket ${bucket} does not exist.`);
    const key = rest.join('/');
    if (!key) throw new S3Error(501, 'NotImplemented', 'only object calls are taken here');
    if (request.method === 'PUT') {
      const declared = Number(request.headers['content-length']);
      if (!Number.isInteger(declared))
        throw new S3Error(
          411,
          'MissingContentLength',
          'You must provide the Content-Length HTTP header.',
        );
      const body = await readBody(request);
      if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== body.sha256)
        throw new S3Error(
          400,
          'XAmzContentSHA256Mismatch',
          'The provided x-amz-content-sha256 header does not match what was computed.',
        );
      const contentType = request.headers['content-type'];
      objects.set(key, { ...body, contentType });
      return { status: 200, headers: { etag: `"${body.sha256.slice(0, 32)}"` } };
    }
    if (request.method === 'DELETE') {
      if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== EMPTY_SHA256)
        throw new S3Error(400, 'XAmzContentSHA256Mismatch', 'a DELETE has no body');
      objects.delete(key);
      return { status: 204 };
    }
    if (request.method === 'HEAD') {
      const object = objects.get(key);
      if (!object) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
      return {
        status: 200,
        headers: { 'content-length': String(object.size), etag: `"${object.sha256.slice(0, 32)}"` },
      };
    }
    throw new S3Error(501, 'NotImplemented', `${request.method} is not taken here`);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const key = (request.url ?? '').split('?')[0]?.split('/').slice(2).join('/') ?? '';
    try {
      const { status, headers = {} } = await answer(request);
      if (options.delayMs) await sleep(options.delayMs);
      requests.push({ method: request.method ?? '', key: decodeURIComponent(key), status });
      response.writeHead(status, headers).end();
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      request.resume();
      requests.push({
        method: request.method ?? '',
        key: decodeURIComponent(key),
        status: error.status,
      });
      response
        .writeHead(error.status, { 'content-type': 'application/xml' })
        .end(
          request.method === 'HEAD'
            ? undefined
            : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${error.code}</Code><Message>${error.message}</Message></Error>`,
        );
    } finally {
      inFlight--;
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    /** What the bucket holds, by key. */
    objects,
    /** Every request answered, in order, with its status. */
    requests,
    /** The most requests that were in flight at once. */
    get maxInFlight() {
      return maxInFlight;
    },
    /** Answers the next `count` signed requests with 503 SlowDown, as R2 does under load. */
    failNext(count: number) {
      failures = count;
    },
    resetCounts() {
      requests.length = 0;
      maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
