// D1 binds at most 100 parameters a statement: ids are looked up this many at a time.
const IDS_PER_LOOKUP = 90;

/** Looks `ids` up a chunk at a time, so any number fits D1's bound parameters; one map of what was found. */
export async function lookupInChunks<K, V>(
  ids: K[],
  lookup: (chunk: K[]) => Promise<[K, V][]>,
): Promise<Map<K, V>> {
  const found = new Map<K, V>();
  for (let start = 0; start < ids.length; start += IDS_PER_LOOKUP)
    for (const [id, value] of await lookup(ids.slice(start, start + IDS_PER_LOOKUP)))
      found.set(id, value);
  return found;
}
