import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file serves its own WordPress on an address of its own and mostly waits on PHP and
    // MariaDB, so three run at once even on 2 cores (vitest's default there is one).
    maxWorkers: 3,
  },
});
