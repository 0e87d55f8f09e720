import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { workerOptions } from '@wp-edge/workerd-kit';
import { defineConfig } from 'vitest/config';
import { unstable_readConfig } from 'wrangler';

const SHARED_STATE_FILES = [
  'test/probes.test.ts',
  'test/health.test.ts',
  'test/remove-site.test.ts',
];

export default defineConfig(async () => {
  const migrations = await readD1Migrations(
    path.join(import.meta.dirname, '../../packages/core/migrations'),
  );
  // The Cron Triggers deployed with this Worker, so a test can run the handler with each.
  const crons = unstable_readConfig({ config: path.join(import.meta.dirname, 'wrangler.jsonc') })
    .triggers.crons;
  const workers = await Promise.all([
    workerOptions('comments'),
    workerOptions('views'),
    workerOptions('images'),
    workerOptions('sync'),
  ]);
  const cloudflare = () =>
    cloudflareTest({
      wrangler: { configPath: './wrangler.jsonc' },
      miniflare: {
        bindings: { TEST_MIGRATIONS: migrations, TEST_CRONS: crons ?? [] },
        workers,
      },
    });
  const workerdProject = (
    name: string,
    files: { isolate?: boolean; include?: string[]; exclude?: string[] },
  ) => ({
    plugins: [cloudflare()],
    test: {
      name,
      isolate: files.isolate ?? true,
      include: files.include ?? ['test/*.test.ts', 'src/**/*.test.ts'],
      exclude: files.exclude ?? [],
      globalSetup: ['./test/loopback-origin.ts', './test/alert-stand-ins.ts'],
      setupFiles: ['./test/apply-migrations.ts'],
      testTimeout: 30_000,
    },
  });
  return {
    test: {
      // Many files wait on real timeouts (failover, probes, heartbeats): two at once halve the
      // suite on 2 cores (vitest's default there is one).
      maxWorkers: 2,
      projects: [
        // Files share one workerd and its storage (a fresh one per file costs seconds of CPU),
        // so each uses site ids of its own. The files that run the crons act on every site in
        // D1, so they get storage of their own.
        workerdProject('workerd', { isolate: false, exclude: SHARED_STATE_FILES }),
        workerdProject('workerd-isolated', { include: SHARED_STATE_FILES }),
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
