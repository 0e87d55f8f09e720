import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { validationProblem } from './problem.ts';

/**
 * `zValidator` whose failures become problem+json 400s listing every invalid field.
 * @example
 * app.post('/api/things', validate('json', Thing), (c) => c.json(c.req.valid('json')));
 */
export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw validationProblem(result.error, target === 'json' ? 'body' : target);
  });
}
