import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

// `ps` shows every process's command line: a broker URL passed as a flag must not show its password.
let server: RedisServer;
const password = 'hunter2-secret';

beforeAll(async () => {
  server = await startRedis({ password });
});
afterAll(async () => {
  await server?.stop();
});

describe('the process title', () => {
  it('masks the password of a broker URL given on the command line', async () => {
    const qtop = spawnQtop(['-b', server.url(0), '--json', '--watch', '--interval', '5']);
    try {
      await qtop.waitForLine((line: { schema?: string }) => line.schema === 'qtop/1', 10_000);
      let cmdline = '';
      await waitFor(
        () => {
          cmdline = fs.readFileSync(`/proc/${qtop.pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
          return cmdline.includes('redis://:***@');
        },
        5_000,
        'a masked process title',
      );
      expect(cmdline).not.toContain(password);
    } finally {
      expect(await qtop.stop('SIGINT')).toBe(0);
    }
  });
});
