const MAX_AGE_MS = 5_000;

interface Copy<T> {
  value: T;
  fetchedAtMs: number;
  refreshing: boolean;
}

/** Copies of one kind of state, per site, that one module owns (module-level, per isolate). */
export type IsolateCopies<T> = Map<string, Copy<T>>;

/**
 * A site's state that a Durable Object owns, as this isolate last heard it: `initial` until the
 * first answer, and a copy older than 5 s refreshed in the background, so the hot path never
 * waits on the object.
 */
export function isolateCopy<T>(
  copies: IsolateCopies<T>,
  siteId: string,
  initial: () => T,
  fetchValue: () => Promise<T>,
  waitUntil: (promise: Promise<unknown>) => void,
  nowMs = Date.now(),
): T {
  const copy = copies.get(siteId) ?? { value: initial(), fetchedAtMs: 0, refreshing: false };
  copies.set(siteId, copy);
  if (nowMs - copy.fetchedAtMs > MAX_AGE_MS && !copy.refreshing) {
    copy.refreshing = true;
    waitUntil(
      fetchValue()
        .then((value) => {
          copy.value = value;
          copy.fetchedAtMs = Date.now();
        })
        .finally(() => {
          copy.refreshing = false;
        }),
    );
  }
  return copy.value;
}
