import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { workerOptions } from '@wp-edge/workerd-kit';
import { defineConfig } from 'vitest/config';

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.jsonc' },
      miniflare: {
        workers: await Promise.all([
          workerOptions('comments'),
          workerOptions('views'),
          workerOptions('images'),
        ]),
      },
    }),
  ],
  test: { globalSetup: ['./test/loopback-origin.ts'], testTimeout: 30_000 },
}));
