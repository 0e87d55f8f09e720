import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** One field that failed validation: where it is and what is wrong with it. */
export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem document, the body of every error answer. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * An error whose message is safe to show the caller; `onError` answers it as problem+json.
 * @example
 * throw new ProblemError(404, `no site answers to ${host}`);
 */
export interface ProblemOptions {
  type?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
}

export class ProblemError extends Error {
  readonly status: ContentfulStatusCode;
  readonly detail: string;
  readonly options: ProblemOptions;

  constructor(status: ContentfulStatusCode, detail: string, options: ProblemOptions = {}) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.detail = detail;
    this.options = options;
  }

  toProblem(): Problem {
    return {
      type: this.options.type ?? 'about:blank',
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.detail,
      ...(this.options.errors ? { errors: this.options.errors } : {}),
    };
  }
}

function isMissing(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
}

/** Turns zod issues into field errors a user can act on (`nodes.0.originUrl: …`). */
export function fieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: isMissing(issue) ? 'is required' : issue.message,
  }));
}

/** A 400 problem listing every invalid field of a zod failure. */
export function validationProblem(error: z.core.$ZodError, what = 'request'): ProblemError {
  const errors = fieldErrors(error);
  const summary = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return new ProblemError(400, `invalid ${what}: ${summary}`, { errors });
}
