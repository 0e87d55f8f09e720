/** Runs `work` on every item, at most `limit` at once, in order of the items; rejects on the first failure. */
export async function inParallel<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

/**
 * Yields `fetch(item)` for each item in order while fetching up to `ahead` items beyond the
 * one being used: downloads overlap the work on each, memory holds `ahead + 1` results.
 */
export async function* prefetched<T, R>(
  items: T[],
  ahead: number,
  fetch: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const window: Promise<R>[] = [];
  let next = 0;
  const fill = () => {
    while (window.length <= ahead && next < items.length) {
      const pending = fetch(items[next++] as T);
      // Handled when its turn comes; a rejection before then must not go unhandled.
      pending.catch(() => undefined);
      window.push(pending);
    }
  };
  fill();
  while (window.length > 0) {
    const result = await (window.shift() as Promise<R>);
    fill();
    yield result;
  }
}
