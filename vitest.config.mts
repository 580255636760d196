import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { '@': fileURLToPath(new URL('.', import.meta.url)) },
  },
  test: {
    include: ['lib/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts', 'app/**/*.test.ts', 'components/**/*.test.ts', 'workers/**/*.test.ts'],
    exclude: ['bench/**', 'e2e/**', 'node_modules/**'],
    environment: 'node',
    // Server modules log through pino; tests that need the lines set LOG_LEVEL themselves.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
    // Model-loading tests set their own, longer timeouts.
    testTimeout: 10_000,
  },
});
