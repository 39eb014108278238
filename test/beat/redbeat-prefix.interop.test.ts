import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Beat, startBeat } from '../helpers/celery-beat.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { requireSharedSite } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';

// A real RedBeat with its own `redbeat_key_prefix`: qtop finds its schedule and lock only when told
// the prefix (--redbeat-prefix), and `--redbeat-lock-key none` turns the lock check off.
const site = requireSharedSite('redbeat');
if (!site) it('needs the RedBeat tree (not run)', () => expect(site).toBeNull());

describe.runIf(site)('RedBeat with another key prefix', () => {
  let server: RedisServer;
  let redis: Redis;
  let beat: Beat;

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url(0));
    beat = await startBeat({
      brokerUrl: server.url(0),
      celery: '5.2',
      scheduler: 'redbeat',
      env: { QTOP_REDBEAT_KEY_PREFIX: 'shop:beat:' },
    });
    await waitFor(
      async () => (await redis.exists('shop:beat::lock')) === 1,
      20_000,
      'the lock under the prefix',
    );
  });

  afterAll(async () => {
    await beat?.stop();
    redis?.disconnect();
    await server?.stop();
  });

  const beatOf = async (...flags: string[]) => {
    const run = await runQtop(['--json', '-b', server.url(0), ...flags]);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout).beat;
  };

  it('--redbeat-prefix finds the entries and the held lock', async () => {
    const beatView = await beatOf('--redbeat-prefix', 'shop:beat:');
    expect(beatView.entries.map((e: { name: string }) => e.name).sort()).toEqual(['minutely', 'tick']);
    expect(beatView.lock).toMatchObject({ key: 'shop:beat::lock', held: true });
  });

  it('without it the default prefix holds nothing', async () => {
    const beatView = await beatOf();
    expect(beatView.entries).toEqual([]);
    expect(beatView.lock).toMatchObject({ key: 'redbeat::lock', held: false });
  });

  it('--redbeat-lock-key none reads the entries and no lock', async () => {
    const beatView = await beatOf('--redbeat-prefix', 'shop:beat:', '--redbeat-lock-key', 'none');
    expect(beatView.entries).toHaveLength(2);
    expect(beatView.lock).toBeNull();
  });
});
