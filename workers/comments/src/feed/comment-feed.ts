import { DurableObject } from 'cloudflare:workers';

/**
 * One per site: wakes the agents' long-polls as soon as a new log entry exists. It holds
 * no comments (D1 does); only the newest seq it was told of, in memory.
 */
export class CommentFeed extends DurableObject<Env> {
  #newest = 0;
  #waiting = new Set<(seq: number) => void>();

  /** Called after an entry is committed to the log. */
  announce(seq: number): void {
    if (seq <= this.#newest) return;
    this.#newest = seq;
    for (const wake of this.#waiting) wake(seq);
  }

  /** Resolves with a seq newer than `after` as soon as one is announced, or with 0 after `timeoutMs`. */
  waitBeyond(after: number, timeoutMs: number): Promise<number> {
    if (this.#newest > after) return Promise.resolve(this.#newest);
    return new Promise((resolve) => {
      const done = (seq: number) => {
        clearTimeout(timer);
        this.#waiting.delete(wake);
        resolve(seq);
      };
      const wake = (seq: number) => {
        if (seq > after) done(seq);
      };
      const timer = setTimeout(() => done(0), timeoutMs);
      this.#waiting.add(wake);
    });
  }
}

/** The feed of a site. */
export function feedOf(env: Env, siteId: string) {
  return env.COMMENT_FEED.get(env.COMMENT_FEED.idFromName(siteId));
}
