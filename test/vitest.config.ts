import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 360_000,
    // Each file starts its own edge, nodes and servers on addresses of its own and mostly waits
    // on them, so three run at once even on 2 cores (vitest's default there is one).
    maxWorkers: 3,
  },
});
