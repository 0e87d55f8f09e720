import { ulid } from 'ulid';
import { toHex } from './hex.ts';

/** A new globally unique id (ULID) that sorts by its creation time. */
export function newId(atMs: number = Date.now()): string {
  return ulid(atMs);
}

/** A new random secret for signing agent requests: 32 bytes, hex. */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return toHex(bytes);
}
