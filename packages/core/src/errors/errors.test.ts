import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../logger.ts';
import { problemErrorHandler, problemNotFound } from './handler.ts';
import { type Problem, ProblemError } from './problem.ts';
import { validate } from './validate.ts';

function appLogging(lines: string[]) {
  const app = new Hono();
  app.onError(problemErrorHandler(createLogger({}, { write: (line) => lines.push(line) })));
  app.notFound(problemNotFound);
  return app;
}

const Thing = z.object({
  name: z.string().min(1, { error: 'name is required' }),
  count: z.number(),
});

describe('problem+json errors', () => {
  it('answers a ProblemError with its status and detail', async () => {
    const app = appLogging([]).get('/', () => {
      throw new ProblemError(409, 'that comment was already posted');
    });
    const response = await app.request('/');
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'that comment was already posted',
    });
  });

  it('answers a failed validation with 400 and every invalid field', async () => {
    const app = appLogging([]).post('/', validate('json', Thing), (c) =>
      c.json(c.req.valid('json')),
    );
    const response = await app.request('/', {
      method: 'POST',
      body: JSON.stringify({ name: '', count: 'x' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as Problem;
    expect(problem.errors).toEqual([
      { path: 'name', message: 'name is required' },
      { path: 'count', message: expect.stringContaining('expected number') },
    ]);
    expect(problem.detail).toMatch(/^invalid body: name: name is required; count: /);
  });

  it('answers a body that is not JSON with 400', async () => {
    const app = appLogging([]).post('/', validate('json', Thing), (c) => c.text('unreachable'));
    const response = await app.request('/', {
      method: 'POST',
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers an uncaught ZodError with 400', async () => {
    const app = appLogging([]).get('/', () => {
      Thing.parse({});
      return new Response('unreachable');
    });
    expect((await app.request('/')).status).toBe(400);
  });

  it('keeps the status of an HTTPException', async () => {
    const app = appLogging([]).get('/', () => {
      throw new HTTPException(413, { message: 'body too large' });
    });
    const response = await app.request('/');
    expect(response.status).toBe(413);
    expect(((await response.json()) as Problem).detail).toBe('body too large');
  });

  it('hides unknown errors behind a generic 500 and logs them', async () => {
    const lines: string[] = [];
    const app = appLogging(lines).get('/secret', () => {
      throw new Error('password=hunter2 at db.ts:12');
    });
    const response = await app.request('/secret');
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).not.toContain('hunter2');
    expect(body).not.toContain('db.ts');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 'error',
      path: '/secret',
      error: 'password=hunter2 at db.ts:12',
    });
  });

  it('answers an unknown route with a 404 naming it', async () => {
    const response = await appLogging([]).request('/nowhere', { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(((await response.json()) as Problem).detail).toBe(
      'nothing here answers DELETE /nowhere',
    );
  });
});
