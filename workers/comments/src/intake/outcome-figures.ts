import { ProblemError } from '@wp-edge/core';
import { figureCounter } from '@wp-edge/core/db';
import type { Accepted } from './accept.ts';

const REFUSAL_TYPE = 'urn:wp-edge:comment:';

/** This isolate's tally of comment outcomes (db/README.md: `edge_figures`). */
export const outcomeFigures = figureCounter();

/** The figure a submission's outcome counts under: `comment.accepted`, `comment.held`, `comment.refused.flood`, … */
export function outcomeFigure(outcome: Accepted | unknown): string | undefined {
  if (outcome instanceof ProblemError) {
    const type = outcome.options.type ?? '';
    return `comment.refused.${type.startsWith(REFUSAL_TYPE) ? type.slice(REFUSAL_TYPE.length) : 'invalid'}`;
  }
  const status = (outcome as Accepted).comment?.status;
  if (status === undefined) return undefined;
  return status === 'approved' ? 'comment.accepted' : `comment.${status}`;
}

/** Counts how a submission ended, accepted or refused, and hands the outcome on unchanged. */
export async function countedOutcome(
  env: Env,
  ctx: { waitUntil(promise: Promise<unknown>): void },
  siteId: string,
  work: Promise<Accepted>,
): Promise<Accepted> {
  const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
  try {
    const accepted = await work;
    const figure = outcomeFigure(accepted);
    if (figure) outcomeFigures.count(env.DB, waitUntil, siteId, figure);
    return accepted;
  } catch (error) {
    const figure = outcomeFigure(error);
    if (figure && error instanceof ProblemError)
      outcomeFigures.count(env.DB, waitUntil, siteId, figure);
    throw error;
  }
}
