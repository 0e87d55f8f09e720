import { newId } from '@wp-edge/core';
import { z } from 'zod';

const SiteverifyAnswer = z.object({
  success: z.boolean(),
  'error-codes': z.array(z.string()).default([]),
  /** The host name of the page the challenge was solved on. */
  hostname: z.string().optional(),
  /** The widget's `data-action`, protected from tampering. */
  action: z.string().optional(),
});
type SiteverifyAnswer = z.infer<typeof SiteverifyAnswer>;

/** Turnstile's documented test secrets, whose answers always name `example.com`. */
const TEST_SECRETS = new Set([
  '1x0000000000000000000000000000000AA',
  '2x0000000000000000000000000000000AA',
  '3x0000000000000000000000000000000AA',
]);

/** What a token must have been solved for: one of the site's hosts, and the widget's action when the site sets one. */
export interface TurnstileExpectation {
  hosts: string[];
  action?: string | undefined;
}

/**
 * A token siteverify accepts is still refused when it was solved on another site's page
 * (a site key is not bound to one domain) or for another widget's action.
 */
function verdictOf(
  answer: SiteverifyAnswer,
  secret: string,
  expected: TurnstileExpectation,
): TurnstileVerdict {
  if (!answer.success) return { ok: false, codes: answer['error-codes'] };
  const hostname = answer.hostname?.toLowerCase() ?? '';
  if (!TEST_SECRETS.has(secret) && !expected.hosts.includes(hostname))
    return { ok: false, codes: ['hostname-mismatch'] };
  if (expected.action !== undefined && answer.action !== expected.action)
    return { ok: false, codes: ['action-mismatch'] };
  return { ok: true };
}

/** Turnstile's siteverify did not answer, twice: the token could not be checked. */
export class TurnstileUnavailable extends Error {
  override name = 'TurnstileUnavailable';
}

export type TurnstileVerdict = { ok: true } | { ok: false; codes: string[] };

/**
 * Asks Turnstile's siteverify (or the endpoint configured in TURNSTILE_VERIFY_URL) whether
 * a token is good, and for this site's page and widget. One retry on a network failure, with the same idempotency key, since a
 * token may be spent only once.
 */
export async function verifyTurnstile(
  verifyUrl: string,
  secret: string,
  token: string | undefined,
  address: string,
  expected: TurnstileExpectation,
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
      return verdictOf(SiteverifyAnswer.parse(await response.json()), secret, expected);
    } catch (error) {
      lastError = error;
    }
  }
  throw new TurnstileUnavailable(
    `siteverify could not be reached: ${(lastError as Error).message}`,
  );
}
