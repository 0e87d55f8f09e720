import { sha256Hex } from '../hex.ts';

const encoder = new TextEncoder();

export const SIGNATURE_SCHEME = 'WP-EDGE-HMAC-SHA256';

/** The request headers that carry an agent's signature. */
export const SignatureHeader = {
  keyId: 'x-wp-edge-key-id',
  timestamp: 'x-wp-edge-timestamp',
  nonce: 'x-wp-edge-nonce',
  signature: 'x-wp-edge-signature',
} as const;

export type BodyBytes = Uint8Array | ArrayBuffer | string;

export function toBytes(body: BodyBytes | undefined): Uint8Array {
  if (body === undefined) return new Uint8Array();
  if (typeof body === 'string') return encoder.encode(body);
  return body instanceof Uint8Array ? body : new Uint8Array(body);
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The query string in a form both sides agree on: pairs sorted by name, then value. */
export function canonicalQuery(url: URL): string {
  return [...url.searchParams]
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export interface CanonicalParts {
  method: string;
  url: URL;
  body: Uint8Array;
  timestamp: string;
  nonce: string;
}

/** The exact bytes that are signed: method, path, query, timestamp, nonce and the body's hash. */
export async function canonicalRequest(parts: CanonicalParts): Promise<Uint8Array> {
  const lines = [
    SIGNATURE_SCHEME,
    parts.method.toUpperCase(),
    parts.url.pathname,
    canonicalQuery(parts.url),
    parts.timestamp,
    parts.nonce,
    await sha256Hex(parts.body),
  ];
  return encoder.encode(lines.join('\n'));
}

export function hmacKey(
  secret: string,
  usage: 'sign' | 'verify',
): ReturnType<typeof crypto.subtle.importKey> {
  return crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    [usage],
  );
}

export function fromHex(hex: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
