import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure and fast; `interop` starts real redis-server and Celery
// processes, so it runs files one at a time on this 2-core machine.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/**/*.interop.test.{ts,tsx}'],
          env: { TZ: 'UTC', NO_COLOR: '1', FORCE_COLOR: '0' },
          setupFiles: ['test/helpers/setup.ts'],
        },
      },
      {
        test: {
          name: 'interop',
          include: ['test/**/*.interop.test.{ts,tsx}'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 90_000,
          env: { TZ: 'UTC', NO_COLOR: '1', FORCE_COLOR: '0' },
          setupFiles: ['test/helpers/setup.ts'],
        },
      },
    ],
  },
});
