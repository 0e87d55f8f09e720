import { toHex } from '../hex.ts';
import { newId } from '../ids.ts';
import {
  type BodyBytes,
  canonicalRequest,
  hmacKey,
  SignatureHeader,
  toBytes,
} from './canonical.ts';

export interface SignRequestInput {
  method: string;
  url: string | URL;
  body?: BodyBytes;
  keyId: string;
  secret: string;
  /** Defaults to the current time. */
  now?: Date;
  /** Defaults to a fresh ULID; a nonce is accepted once within the replay window. */
  nonce?: string;
}

/**
 * Signs an agent → edge request and returns the headers to send with it.
 * @example
 * const headers = await signRequest({ method: 'POST', url, body, keyId, secret });
 * await fetch(url, { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } });
 */
export async function signRequest(input: SignRequestInput): Promise<Record<string, string>> {
  const timestamp = String(Math.floor((input.now ?? new Date()).getTime() / 1000));
  const nonce = input.nonce ?? newId();
  const message = await canonicalRequest({
    method: input.method,
    url: new URL(input.url),
    body: toBytes(input.body),
    timestamp,
    nonce,
  });
  const key = await hmacKey(input.secret, 'sign');
  const signature = toHex(await crypto.subtle.sign('HMAC', key, message));
  return {
    [SignatureHeader.keyId]: input.keyId,
    [SignatureHeader.timestamp]: timestamp,
    [SignatureHeader.nonce]: nonce,
    [SignatureHeader.signature]: `v1=${signature}`,
  };
}
