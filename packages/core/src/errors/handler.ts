import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { StoredFormatError } from '../config/stored-format.ts';
import type { Logger } from '../logger.ts';
import { type Problem, ProblemError, validationProblem } from './problem.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Answers a problem document with the problem+json content type. */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE },
  });
}

function toProblemError(error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (error instanceof ZodError) return validationProblem(error);
  if (error instanceof HTTPException) {
    return new ProblemError(
      error.status as ContentfulStatusCode,
      error.message || 'request refused',
    );
  }
  return undefined;
}

/**
 * The one error handler of every Worker: known errors become 4xx problem+json answers, stored
 * data of a format this code cannot read a logged 500 that names it and the fix, anything
 * else is logged and answered with a generic 500 that reveals nothing.
 * @example
 * app.onError(problemErrorHandler(logger));
 */
export function problemErrorHandler(logger: Logger): ErrorHandler {
  return (error: Error, c: Context) => {
    const known = toProblemError(error);
    if (known) return problemResponse(known.toProblem(), known.options.headers);
    if (error instanceof StoredFormatError) {
      logger.error('stored data this code cannot read', { path: c.req.path, error: error.message });
      return problemResponse({
        type: 'urn:wp-edge:stored-format',
        title: 'Stored data in a format this code cannot read',
        status: 500,
        detail: error.message,
      });
    }
    logger.error('unhandled error', {
      method: c.req.method,
      path: c.req.path,
      error: error.message,
      stack: error.stack,
    });
    return problemResponse({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'something went wrong on our side; it has been logged',
    });
  };
}

/** Answers unknown routes with a 404 problem naming the method and path. */
export const problemNotFound: NotFoundHandler = (c) =>
  problemResponse({
    type: 'about:blank',
    title: 'Not Found',
    status: 404,
    detail: `nothing here answers ${c.req.method} ${c.req.path}`,
  });
