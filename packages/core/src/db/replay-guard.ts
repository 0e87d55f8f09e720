import { lte } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { NonceClaim, ReplayGuard } from '../signing/replay-guard.ts';
import { requestNonces } from './schema.ts';

/** A replay guard shared by every isolate: a nonce row in D1, refused if already present. */
export class D1ReplayGuard implements ReplayGuard {
  readonly #db: DrizzleD1Database;

  constructor(db: DrizzleD1Database) {
    this.#db = db;
  }

  async claim({ keyId, nonce, expiresAtMs, nowMs }: NonceClaim): Promise<boolean> {
    const [, inserted] = await this.#db.batch([
      this.#db.delete(requestNonces).where(lte(requestNonces.expiresAt, nowMs)),
      this.#db
        .insert(requestNonces)
        .values({ keyId, nonce, expiresAt: expiresAtMs })
        .onConflictDoNothing()
        .returning({ nonce: requestNonces.nonce }),
    ]);
    return inserted.length === 1;
  }
}
