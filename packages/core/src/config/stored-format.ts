import type { z } from 'zod';
import { fieldErrors } from '../errors/problem.ts';

/**
 * A stored JSON document of a versioned format (a KV snapshot, an image manifest, a comment
 * log payload) read by code that knows another version: the message says which and what to do.
 */
export class StoredFormatError extends Error {
  override name = 'StoredFormatError';
}

/** The document as it is stored: its fields and the format version `v` it was written in. */
export function storedDocument<T extends object>(version: number, document: T): T & { v: number } {
  return { ...document, v: version };
}

/**
 * Reads a stored document of format `version`: refuses any other version by name, then
 * validates it. A document without `v` was written before formats had versions: version 1.
 * @example
 * const site = readStored(SiteSnapshot, 1, stored, { what: 'KV entry host:blog.example', fix: 'republish it with: npx wp-edge sites publish' });
 */
export function readStored<S extends z.ZodType>(
  schema: S,
  version: number,
  stored: unknown,
  about: { what: string; fix: string },
): z.infer<S> {
  const { v = 1, ...fields } =
    typeof stored === 'object' && stored !== null ? (stored as { v?: unknown }) : { v: undefined };
  if (v !== version) {
    throw new StoredFormatError(
      `${about.what} is in format version ${JSON.stringify(v)}, but this code reads version ${version}; ${about.fix}`,
    );
  }
  const parsed = schema.safeParse(typeof stored === 'object' && stored !== null ? fields : stored);
  if (parsed.success) return parsed.data;
  const problems = fieldErrors(parsed.error).map((e) => `${e.path}: ${e.message}`);
  throw new StoredFormatError(`${about.what} is not valid (${problems.join('; ')}); ${about.fix}`);
}
