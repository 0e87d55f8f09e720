export interface NonceClaim {
  keyId: string;
  nonce: string;
  /** The first moment the nonce's request is no longer accepted: from then on it can be forgotten. */
  expiresAtMs: number;
  nowMs: number;
}

/** Remembers the nonces of accepted requests so that each is accepted only once. */
export interface ReplayGuard {
  /** Records the nonce until it expires; returns false when it was already used. */
  claim(claim: NonceClaim): Promise<boolean>;
}

/** A replay guard for one process (tests, the agent's own endpoints); not shared between isolates. */
export class MemoryReplayGuard implements ReplayGuard {
  readonly #seen = new Map<string, number>();

  async claim({ keyId, nonce, expiresAtMs, nowMs }: NonceClaim): Promise<boolean> {
    for (const [key, expires] of this.#seen) if (expires <= nowMs) this.#seen.delete(key);
    const key = `${keyId}:${nonce}`;
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, expiresAtMs);
    return true;
  }
}
