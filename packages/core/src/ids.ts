import { ulid } from 'ulid';

/** A new globally unique id (ULID) that sorts by its creation time. */
export function newId(atMs: number = Date.now()): string {
  return ulid(atMs);
}

/** A new random secret for signing agent requests: 32 bytes, hex. */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
