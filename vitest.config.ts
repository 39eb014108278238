import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure and fast; `interop` starts real redis-server and Celery processes.
// Interop files run two at a time, after the unit files (their own group): each file has its own
// redis-server on a free port, its own tmux servers and temp dirs, and finds its processes by its
// own port or pid, so two files never see each other. More than two would only fight over the
// 2-core CI machine, where Celery workers' start-up is already the slow part.
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
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 90_000,
          env: { TZ: 'UTC', NO_COLOR: '1', FORCE_COLOR: '0' },
          setupFiles: ['test/helpers/setup.ts'],
        },
      },
    ],
  },
});
