import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SyncClient } from './sync-client.ts';

/** A blob whose bytes do not hash to its name: refused, never applied. */
export class BlobIntegrityError extends Error {
  override name = 'BlobIntegrityError';
}

function refused(sha256: string, actual: string, size: number, expected: number) {
  return new BlobIntegrityError(
    `blob ${sha256} from the edge is corrupt (${size} bytes hashing to ${actual}, expected ${expected} bytes): refused, nothing of this generation was applied`,
  );
}

/** A blob's bytes, refused unless they hash to its name and have the manifest's size. */
export async function fetchBlob(client: SyncClient, sha256: string, size: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of Readable.fromWeb((await client.getBlob(sha256)) as never))
    parts.push(part as Buffer);
  const bytes = Buffer.concat(parts);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256 || bytes.length !== size) throw refused(sha256, actual, bytes.length, size);
  return bytes;
}

/** Streams a blob to `file`, hashing on the way: a corrupt one is deleted and refused. */
export async function fetchBlobToFile(
  client: SyncClient,
  sha256: string,
  size: number,
  file: string,
): Promise<void> {
  const hash = createHash('sha256');
  let length = 0;
  const hashing = new Transform({
    transform(data: Buffer, _encoding, done) {
      hash.update(data);
      length += data.length;
      done(null, data);
    },
  });
  await pipeline(
    Readable.fromWeb((await client.getBlob(sha256)) as never),
    hashing,
    createWriteStream(file),
  );
  const actual = hash.digest('hex');
  if (actual !== sha256 || length !== size) {
    await rm(file, { force: true });
    throw refused(sha256, actual, length, size);
  }
}
