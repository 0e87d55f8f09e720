import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

const pureTests = 'src/**/*.test.ts';

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'migrations'));
  return {
    test: {
      projects: [
        { test: { name: 'node', environment: 'node', include: [pureTests] } },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './test/wrangler.jsonc' },
              miniflare: { bindings: { TEST_MIGRATIONS: migrations } },
            }),
          ],
          test: {
            name: 'workerd',
            isolate: false,
            include: [pureTests, 'test/**/*.test.ts'],
            setupFiles: ['./test/apply-migrations.ts'],
            testTimeout: 30_000,
          },
        },
      ],
    },
  };
});
