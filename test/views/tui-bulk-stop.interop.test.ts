import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meta, waitMeta } from '../commands/control-helpers.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { qtopBin } from '../helpers/qtop-cli.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';
import { pressIn } from './tmux-keys.js';

const many = 300;

// A bulk revoke stopped with Esc while it runs, on the built qtop in tmux against a real worker:
// the toast says how many were revoked and how many were not, and the worker agrees: exactly that
// many are discarded (REVOKED), the rest stay waiting and then run. Needs `npm run build` first.
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let tmux: TmuxSession;
  let redis: Redis;

  const press = (id: string) => pressIn(tmux, id);

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [{ name: 's1', events: true, concurrency: 1, prefetchMultiplier: 1 }],
    });
    redis = new Redis(cluster.brokerUrl);
    tmux = await startTmux({
      command: ['bash', '-c', `node ${qtopBin} -b ${cluster.brokerUrl}; echo EXITED:$?; sleep 30`],
      cols: 200,
      rows: 50,
    });
    await tmux.waitForText('[0 Overview]', 20_000);
  });

  afterAll(async () => {
    await tmux?.kill();
    redis?.disconnect();
    await cluster?.stop();
  });

  it('Esc mid-run reports what was revoked and what was not, and the worker discards exactly those', async () => {
    // One slot, held by a long task: every target waits in the queue through the whole run.
    const [busy] = await cluster.sendTasks('app.sleepy', [30]);
    await waitMeta(redis, busy!, 'STARTED');
    const targets = await cluster.sendTasks('app.echo', ['tmux-stop'], { count: many });
    let seen = '';
    await waitFor(
      async () => {
        seen = `${await redis.llen('celery')} queued, ${await redis.hlen('unacked')} unacked`;
        // The worker prefetches one of them (acks early, so the busy task left `unacked`).
        return (await redis.llen('celery')) + (await redis.hlen('unacked')) === many;
      },
      20_000,
      () => `all targets queued (${seen})`,
    );

    await press('panel.tasks');
    await tmux.waitForText('[3 Tasks]');
    await press('tasks.filter');
    await tmux.sendText('name:app.echo');
    await press('filter.apply');
    await press('tasks.bulk');
    await tmux.waitForText('Act on all tasks matching the filter');
    await press('bulk.accept');
    await tmux.waitForText(`Type '${many}' to confirm`, 30_000);
    await tmux.sendText(String(many));
    await press('bulk.focus');
    await tmux.waitForText(`> Revoke ${many} <`);
    await press('bulk.accept');
    // Stop once some batches went out, long before all of them (batches of 10, each a round).
    await tmux.waitForText(new RegExp(`revoke: [1-9]\\d* of ${many} done`), 30_000);
    await press('bulk.cancel');

    const report = await tmux.waitForText(/bulk revoke: interrupted: revoke \d+ of/, 60_000);
    const m =
      /interrupted: revoke (\d+) of (\d+) matching tasks; not done: (\d+) \(stopped by the operator\)/.exec(
        report,
      );
    expect(m, report).not.toBeNull();
    const [done, total, notDone] = [Number(m![1]), Number(m![2]), Number(m![3])];
    expect(total).toBe(many);
    expect(done + notDone).toBe(many);
    expect(done).toBeGreaterThan(0);
    expect(notDone).toBeGreaterThan(0);
    expect(done % 10).toBe(0); // whole batches only: the batch in flight completed

    // Nothing has run yet: every target still waits behind the busy task (one of them reserved).
    expect((await redis.llen('celery')) + (await redis.hlen('unacked'))).toBe(many);
    expect(await meta(redis, busy!)).toMatchObject({ status: 'STARTED' });

    // One command-log entry per task, stopped ones included.
    await press('panel.log');
    await tmux.waitForText(`${many} commands sent this run`);

    // Let the worker drain the queue: it discards exactly the revoked ones and runs the others.
    await waitMeta(redis, busy!, 'SUCCESS', 60_000);
    const states = new Map<string, number>();
    await waitFor(
      async () => {
        states.clear();
        for (const id of targets) {
          const status = String((await meta(redis, id))?.status ?? 'none');
          states.set(status, (states.get(status) ?? 0) + 1);
        }
        return (states.get('REVOKED') ?? 0) + (states.get('SUCCESS') ?? 0) === many;
      },
      120_000,
      'every target finished or discarded',
    );
    expect(states.get('REVOKED') ?? 0).toBe(done);
    expect(states.get('SUCCESS') ?? 0).toBe(notDone);
  }, 300_000);
});
