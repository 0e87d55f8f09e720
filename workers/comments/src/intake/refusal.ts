import { ProblemError } from '@wp-edge/core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Why a comment was refused, in words a commenter understands (WordPress's own where it has them). */
export function refuse(
  status: ContentfulStatusCode,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
): ProblemError {
  return new ProblemError(status, message, { type: `urn:wp-edge:comment:${reason}`, headers });
}
