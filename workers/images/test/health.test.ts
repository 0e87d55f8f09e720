import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('images Worker', () => {
  it('answers its health check', async () => {
    const response = await exports.default.fetch('https://blog.example/__wp-edge/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ service: 'images', status: 'ok' });
  });

  it('answers an unknown path with a problem+json 404', async () => {
    const response = await exports.default.fetch('https://blog.example/nowhere');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
