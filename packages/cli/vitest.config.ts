import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file keeps its state in a folder of its own and mostly waits on the CLI's child
    // processes, so three run at once even on 2 cores (vitest's default there is one).
    maxWorkers: 3,
  },
});
