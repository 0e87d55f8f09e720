import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Hooks start workerd, WordPress's installer and MariaDB databases: minutes on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // The files mostly wait on MariaDB, PHP and child agents, and each makes its own databases
    // and ports, so three run at once even on 2 cores (vitest's default there is one).
    maxWorkers: 3,
  },
});
