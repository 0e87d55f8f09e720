import {
  type BodyBytes,
  canonicalRequest,
  fromHex,
  hmacKey,
  SignatureHeader,
  toBytes,
} from './canonical.ts';
import type { ReplayGuard } from './replay-guard.ts';

export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

export type SignatureFailure =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'unknown-key'
  | 'bad-signature'
  | 'replayed';

export type VerifyResult<Key> =
  | { ok: true; key: Key }
  | { ok: false; reason: SignatureFailure; message: string };

export interface VerifyOptions<Key extends { secret: string }> {
  /** The key (with its secret) for a key id, or undefined when there is none. */
  findKey(keyId: string): Promise<Key | undefined>;
  replayGuard: ReplayGuard;
  windowSeconds?: number;
  now?: Date;
}

export interface SignedRequest {
  method: string;
  url: string | URL;
  headers: Headers;
  body?: BodyBytes;
}

const fail = (reason: SignatureFailure, message: string) =>
  ({ ok: false, reason, message }) as const;

/**
 * Checks an agent → edge request's signature: known key, timestamp inside the window,
 * HMAC over the raw body (compared in constant time by WebCrypto), nonce not seen before.
 * @example
 * const result = await verifyRequest({ method, url, headers, body }, { findKey, replayGuard });
 * if (!result.ok) throw new ProblemError(401, result.message);
 */
export async function verifyRequest<Key extends { secret: string }>(
  request: SignedRequest,
  options: VerifyOptions<Key>,
): Promise<VerifyResult<Key>> {
  const keyId = request.headers.get(SignatureHeader.keyId);
  const timestamp = request.headers.get(SignatureHeader.timestamp);
  const nonce = request.headers.get(SignatureHeader.nonce);
  const signature = request.headers.get(SignatureHeader.signature);
  if (!keyId || !timestamp || !nonce || !signature) {
    return fail('missing', 'this endpoint needs a request signed with a node key');
  }
  const signatureBytes = fromHex(signature.replace(/^v1=/, ''));
  if (!/^\d{1,12}$/.test(timestamp) || !signatureBytes || nonce.length > 128) {
    return fail('malformed', 'the request signature headers are malformed');
  }
  const windowSeconds = options.windowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS;
  const nowMs = (options.now ?? new Date()).getTime();
  const nowSeconds = Math.floor(nowMs / 1000);
  const signedAt = Number(timestamp);
  if (Math.abs(nowSeconds - signedAt) > windowSeconds) {
    return fail(
      'expired',
      `the request was signed more than ${windowSeconds} s away from now: check the node's clock`,
    );
  }
  const key = await options.findKey(keyId);
  if (!key) return fail('unknown-key', `key ${keyId} is not a current node key`);
  const message = await canonicalRequest({
    method: request.method,
    url: new URL(request.url),
    body: toBytes(request.body),
    timestamp,
    nonce,
  });
  const valid = await crypto.subtle.verify(
    'HMAC',
    await hmacKey(key.secret, 'verify'),
    signatureBytes,
    message,
  );
  if (!valid) return fail('bad-signature', 'the request signature does not match');
  // A request is accepted while now, in whole seconds, is within the window, that is until
  // the second after signedAt + window begins: the nonce is kept exactly that long.
  const fresh = await options.replayGuard.claim({
    keyId,
    nonce,
    expiresAtMs: (signedAt + windowSeconds + 1) * 1000,
    nowMs,
  });
  if (!fresh) return fail('replayed', 'this signed request was already used');
  return { ok: true, key };
}
