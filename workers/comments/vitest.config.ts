import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { unstable_readConfig } from 'wrangler';
import { mailbox } from './test/mailbox.ts';

export default defineConfig(async () => {
  const migrations = await readD1Migrations(
    path.join(import.meta.dirname, '../../packages/core/migrations'),
  );
  // The Cron Triggers deployed with this Worker, so a test can run the handler with each.
  const crons = unstable_readConfig({ config: path.join(import.meta.dirname, 'wrangler.jsonc') })
    .triggers.crons;
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: './wrangler.jsonc' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            TEST_CRONS: crons ?? [],
            TURNSTILE_VERIFY_URL: inject('turnstileUrl'),
            AKISMET_API_URL: inject('akismetUrl'),
          },
          serviceBindings: { MAILBOX: mailbox },
        },
      })),
    ],
    test: {
      globalSetup: ['./test/stand-ins.ts'],
      setupFiles: ['./test/apply-migrations.ts'],
      isolate: false,
      testTimeout: 30_000,
    },
  };
});
