import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BenchFailure, measureLoad } from '@wp-edge/workerd-kit';
import { afterAll, describe, expect, it } from 'vitest';

// Every third request fails, as a Worker under a bug would.
let served = 0;
const server = createServer((_request, response) => {
  served++;
  response.writeHead(served % 3 === 0 ? 500 : 200).end('ok');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.90', resolve));
const url = `http://127.0.0.90:${(server.address() as AddressInfo).port}/`;
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('a benchmark load', () => {
  it('refuses to give figures when any of its requests failed, saying how many', async () => {
    const load = measureLoad({
      label: 'a flaky Worker',
      url,
      durationSeconds: 1,
      warmupSeconds: 0,
    });
    await expect(load).rejects.toBeInstanceOf(BenchFailure);
    await expect(load).rejects.toThrow(
      /^a flaky Worker: \d+ of \d+ requests failed \(0 errors, 0 timeouts, \d+ × 500\); no figure is recorded$/,
    );
  });

  it('refuses too when only its warm-up failed', async () => {
    const load = measureLoad({
      label: 'a flaky Worker',
      url,
      durationSeconds: 1,
      warmupSeconds: 1,
    });
    await expect(load).rejects.toThrow(/^a flaky Worker \(warm-up\): /);
  });
});
