import { createHash } from 'node:crypto';

/**
 * Past the minimum, a row ends its chunk with a chance of its size over this, drawn from its
 * key's hash: chunks of about this many bytes past the minimum, whether the rows are small
 * (postmeta) or posts of a few KB each, so a one-post edit re-sends some 80 KB, not a chunk of
 * hundreds of rows.
 */
const TARGET_BYTES = 64 * 1024;
const MIN_CHUNK_BYTES = 16 * 1024;
const MAX_CHUNK_BYTES = 1024 * 1024;
/** One INSERT statement (a line) holds rows up to about this many bytes. */
const STATEMENT_BYTES = 256 * 1024;

/** FNV-1a with MurmurHash3's finaliser: keys that differ in one digit spread over all bits. */
function keyHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A finished chunk: the rows' `VALUES` lists, one INSERT's worth a line, and their hash. */
export interface Chunk {
  bytes: Buffer;
  sha256: string;
  rows: number;
}

/**
 * Cuts a table's rows (already SQL literals) into chunks whose boundaries depend on the rows'
 * keys, not their positions: an edited row changes its own chunk only, and unchanged chunks
 * keep their hashes from one generation to the next. Memory holds one chunk.
 */
export function rowChunker(emit: (chunk: Chunk) => Promise<void>) {
  let lines: string[] = [];
  let line = '';
  let bytes = 0;
  let rows = 0;

  async function cut(): Promise<void> {
    if (line) lines.push(line);
    if (lines.length === 0) return;
    const data = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    const sha256 = createHash('sha256').update(data).digest('hex');
    const chunk = { bytes: data, sha256, rows };
    lines = [];
    line = '';
    bytes = 0;
    rows = 0;
    await emit(chunk);
  }

  return {
    /** Adds a row: `key` (its first column) decides the boundaries, `values` is `(…)`. */
    async add(key: string, values: string): Promise<void> {
      if (line && line.length + values.length > STATEMENT_BYTES) {
        lines.push(line);
        line = '';
      }
      line = line ? `${line},${values}` : values;
      bytes += values.length + 1;
      rows++;
      const boundary = bytes >= MIN_CHUNK_BYTES && keyHash(key) % TARGET_BYTES < values.length;
      if (boundary || bytes >= MAX_CHUNK_BYTES) await cut();
    },
    /** Emits the last chunk. */
    end: cut,
  };
}
