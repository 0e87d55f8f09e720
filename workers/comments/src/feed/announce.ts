import { feedOf } from './comment-feed.ts';

/** How long one request goes on telling the feed of newer entries before leaving it to the next. */
const CARRY_MS = 5_000;
// A request carries for CARRY_MS and one call more; one still carrying after this is taken for
// lost (its `waitUntil` cut short, say), and the next seq starts a call of its own.
const STALE_MS = 15_000;

/** Per site, the newest seq this isolate has to tell the feed while a call to it is in flight. */
const inFlight = new Map<string, { newest: number; startedAt: number }>();

/**
 * Tells the site's feed of a new log entry, one call at a time per site and isolate: while a
 * call is in flight, entries committed meanwhile are only noted, and the call that is running
 * tells the newest of them when it returns. Under load, a comment then costs no call of its
 * own to the feed; a waiting pull wakes at most one call later. Answers the promise to keep
 * alive (`waitUntil`), or undefined when the running call carries this seq.
 */
export function announce(env: Env, siteId: string, seq: number): Promise<void> | undefined {
  const running = inFlight.get(siteId);
  if (running && Date.now() - running.startedAt <= STALE_MS) {
    running.newest = Math.max(running.newest, seq);
    return undefined;
  }
  const entry = { newest: seq, startedAt: Date.now() };
  inFlight.set(siteId, entry);
  return (async () => {
    let told = 0;
    try {
      for (;;) {
        told = entry.newest;
        await feedOf(env, siteId).announce(told);
        // Nothing awaits between the check and the delete: a seq noted later starts its own call.
        if (entry.newest === told || Date.now() - entry.startedAt > CARRY_MS) break;
      }
    } finally {
      if (inFlight.get(siteId) === entry) inFlight.delete(siteId);
    }
    // Entries noted during the last call, when this request stopped carrying.
    if (entry.newest > told) await feedOf(env, siteId).announce(entry.newest);
  })();
}
