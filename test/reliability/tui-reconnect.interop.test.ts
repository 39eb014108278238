import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { qtopBin } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';

// The live screen through a Redis restart: it says which source is failing and that it retries,
// then carries on by itself once Redis is back on the same port, with the data it had kept.
let server: RedisServer | null = null;
let tmux: TmuxSession | null = null;

afterAll(async () => {
  await tmux?.kill();
  await server?.stop();
});

async function seed(url: string, count: number): Promise<void> {
  const redis = new Redis(url);
  try {
    await redis.sadd('_kombu.binding.parked', 'parked\x06\x16\x06\x16parked');
    for (let i = 0; i < count; i++) await redis.lpush('parked', `not a task ${i}`);
  } finally {
    redis.disconnect();
  }
}

describe('the live screen across a Redis restart', () => {
  it('shows "failing …, retrying" while Redis is down and recovers by itself', async () => {
    server = await startRedis();
    const { port } = server;
    await seed(server.url(0), 3);
    tmux = await startTmux({
      command: ['bash', '-c', `node ${qtopBin} -b ${server.url(0)}; echo EXITED:$?; sleep 30`],
      cols: 200,
      rows: 30,
    });
    await tmux.waitForText(/parked\s+3\s/, 20_000);
    await tmux.waitForText('connected', 5_000);

    await server.stop();
    server = null;
    const down = await tmux.waitForText(/failing.*retrying/, 15_000);
    expect(down).not.toContain('EXITED');

    server = await startRedis({ port });
    await seed(server.url(0), 4);
    await tmux.waitForText(/parked\s+4\s/, 30_000);
    // every source back (a source whose retry is still backing off says so until it polls)
    const back = await tmux.waitForText(/● connected/, 40_000);
    expect(back).not.toMatch(/failing/);

    await tmux.sendKeys('q');
    await tmux.waitForText('EXITED:0', 10_000);
  });
});
