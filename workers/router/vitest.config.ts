import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { workerOptions } from '@wp-edge/workerd-kit';
import { defineConfig } from 'vitest/config';
import { unstable_readConfig } from 'wrangler';

export default defineConfig(async () => {
  const migrations = await readD1Migrations(
    path.join(import.meta.dirname, '../../packages/core/migrations'),
  );
  // The Cron Triggers deployed with this Worker, so a test can run the handler with each.
  const crons = unstable_readConfig({ config: path.join(import.meta.dirname, 'wrangler.jsonc') })
    .triggers.crons;
  return {
    test: {
      // Many files wait on real timeouts (failover, probes, heartbeats): two at once halve the
      // suite on 2 cores (vitest's default there is one).
      maxWorkers: 2,
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.jsonc' },
              miniflare: {
                bindings: { TEST_MIGRATIONS: migrations, TEST_CRONS: crons ?? [] },
                workers: await Promise.all([
                  workerOptions('comments'),
                  workerOptions('views'),
                  workerOptions('images'),
                  workerOptions('sync'),
                ]),
              },
            }),
          ],
          test: {
            name: 'workerd',
            include: ['test/*.test.ts', 'src/**/*.test.ts'],
            globalSetup: ['./test/loopback-origin.ts', './test/alert-stand-ins.ts'],
            setupFiles: ['./test/apply-migrations.ts'],
            testTimeout: 30_000,
          },
        },
        {
          // The status page in a real browser, against the router run in workerd by Miniflare.
          test: {
            name: 'browser',
            environment: 'node',
            include: ['test/browser/*.test.ts'],
            testTimeout: 90_000,
            hookTimeout: 90_000,
          },
        },
      ],
    },
  };
});
