import { newId } from '@wp-edge/core';
import { z } from 'zod';

const SiteverifyAnswer = z.object({
  success: z.boolean(),
  'error-codes': z.array(z.string()).default([]),
});

/** Turnstile's siteverify did not answer, twice: the token could not be checked. */
export class TurnstileUnavailable extends Error {
  override name = 'TurnstileUnavailable';
}

export type TurnstileVerdict = { ok: true } | { ok: false; codes: string[] };

/**
 * Asks Turnstile's siteverify (or the endpoint configured in TURNSTILE_VERIFY_URL) whether
 * a token is good. One retry on a network failure, with the same idempotency key, since a
 * token may be spent only once.
 */
export async function verifyTurnstile(
  verifyUrl: string,
  secret: string,
  token: string | undefined,
  address: string,
): Promise<TurnstileVerdict> {
  if (!token) return { ok: false, codes: ['missing-input-response'] };
  const body = new URLSearchParams({
    secret,
    response: token,
    remoteip: address,
    idempotency_key: newId(),
  });
  let lastError: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const response = await fetch(verifyUrl, {
        method: 'POST',
        body,
        signal: AbortSignal.timeout(5_000),
      });
      const answer = SiteverifyAnswer.parse(await response.json());
      return answer.success ? { ok: true } : { ok: false, codes: answer['error-codes'] };
    } catch (error) {
      lastError = error;
    }
  }
  throw new TurnstileUnavailable(
    `siteverify could not be reached: ${(lastError as Error).message}`,
  );
}
