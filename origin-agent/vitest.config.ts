import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Hooks start workerd, WordPress's installer and MariaDB databases: minutes on a busy machine.
  test: { testTimeout: 60_000, hookTimeout: 180_000 },
});
