/** Views one address (an IPv6 /64) may send a site in a minute; more get 429. */
export const VIEWS_PER_ADDRESS_A_MINUTE = 100;

/**
 * Views per address in the current minute of the clock, counted in the memory of the shard
 * the address's views all land on: exact and atomic while the shard runs, no write, and no
 * address kept (the key is a daily salted hash). A shard that restarts counts afresh.
 */
export class FloodLimit {
  #minute = -1;
  readonly #views = new Map<string, number>();

  /** Whether one more view from the address fits in this minute (and counts it if so). */
  admit(address: string, nowMs: number): boolean {
    const minute = Math.floor(nowMs / 60_000);
    if (minute !== this.#minute) {
      this.#minute = minute;
      this.#views.clear();
    }
    const views = this.#views.get(address) ?? 0;
    if (views >= VIEWS_PER_ADDRESS_A_MINUTE) return false;
    this.#views.set(address, views + 1);
    return true;
  }
}
