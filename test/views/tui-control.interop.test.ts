import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { qtopBin } from '../helpers/qtop-cli.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';
import { pressIn, selectedLineOf } from './tmux-keys.js';

// Control from the keyboard, end to end: the built qtop in tmux against redis-server and a real
// Celery worker (5.2 and 5.6). Keys are pressed by command id, every write goes through its
// confirmation, and each effect is observed in Redis. Needs `npm run build` first.
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let tmux: TmuxSession;
  let redis: Redis;
  let parked: string[];

  const press = (id: string) => pressIn(tmux, id);

  /** The start of the selected line: what names the row (its numbers change while it is selected). */
  const selectedRow = async () => selectedLineOf(await tmux.capture()).slice(0, 30);

  /** Move the cursor down, one drawn step at a time, until the selected line contains `text`. */
  async function select(text: string): Promise<void> {
    for (let i = 0; i < 40; i++) {
      const before = await selectedRow();
      if (selectedLineOf(await tmux.capture()).includes(text)) return;
      await press('list.down');
      // The screen draws a few frames a second: wait for the cursor to move before looking again.
      await waitFor(async () => (await selectedRow()) !== before, 2_000, `the cursor to move on to ${text}`);
    }
    throw new Error(`no selected line with ${text}:\n${await tmux.capture()}`);
  }

  /** Move to the action button of the open confirmation and press it. */
  async function accept(): Promise<void> {
    await tmux.waitForText('> Cancel <');
    await press('confirm.focus');
    await tmux.waitForText(/> \S[^<]* </);
    await press('confirm.accept');
  }

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [{ name: 'w1', events: true, concurrency: 1, queues: ['celery', 'work'] }],
    });
    redis = new Redis(cluster.brokerUrl);
    parked = await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 4 });
    tmux = await startTmux({
      command: ['bash', '-c', `node ${qtopBin} -b ${cluster.brokerUrl}; echo EXITED:$?; sleep 30`],
      cols: 200,
      rows: 50,
    });
    await tmux.waitForText(/parked\s+4\s/, 20_000);
    // The screen starts on the overview; these keys act on the Queues panel.
    await press('panel.queues');
    await tmux.waitForText('[1 Queues]');
  });

  afterAll(async () => {
    await tmux?.kill();
    redis?.disconnect();
    await cluster?.stop();
  });

  describe('control keys on a live cluster', () => {
    it('pauses a queue (messages wait) and resumes it on the same worker (they run)', async () => {
      const hostname = cluster.workers[0]!.hostname;
      await tmux.waitForText(/work\s+0\s+0\s.*1w\//, 20_000);
      await select('work');
      await press('queue.pause');
      await tmux.waitForText(`at the last inspect: ${hostname}`);
      await accept();
      await tmux.waitForText(`paused queue work: consumer cancelled on ${hostname}`, 15_000);
      await tmux.waitForText('PAUSED work');
      await cluster.sendTasks('app.add', [2, 2], { queue: 'work' });
      // Nobody consumes it now: the message waits (a consuming worker takes it in milliseconds).
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await redis.llen('work')).toBe(1);
      await press('queue.resume');
      await tmux.waitForText(`Re-add the consumer of queue 'work' on ${hostname}`);
      await accept();
      await tmux.waitForText(`queue resume: resumed: consuming work on ${hostname}`, 15_000);
      await waitFor(async () => (await redis.llen('work')) === 0, 15_000, 'the worker to take the message');
      await tmux.waitForText(/Queues\s+\d+ queues · \d+ ready\s/);
      expect(await tmux.capture()).not.toContain('PAUSED');
    });

    it('deletes exactly one waiting message from the peek view', async () => {
      await press('list.top');
      await tmux.waitForText(/^> celery /m);
      await select('parked');
      await press('list.open');
      await tmux.waitForText('Queue parked');
      await select('#0 p0 app.add');
      await press('message.delete');
      const dialog = await tmux.waitForText('Delete the waiting message of task');
      expect(dialog).toContain(`task ${parked[0]} (app.add) from queue`);
      await accept();
      await tmux.waitForText(`message delete: deleted task ${parked[0]} (app.add) from parked`, 15_000);
      const left = (await redis.lrange('parked', 0, -1)).map((raw) => JSON.parse(raw).headers.id as string);
      expect(left.sort()).toEqual(parked.slice(1).sort());
    });

    it('finds a waiting message by its id with the in-queue search, then leaves the queue', async () => {
      await tmux.waitForText(/ready\s+3\s/, 10_000);
      await press('queue.search');
      await tmux.waitForText('Search queue parked');
      await tmux.sendText(parked[2]!.slice(0, 13));
      await press('input.submit');
      await tmux.waitForText(/Search "[0-9a-f-]+": 1 match · scanned 3 of 3/, 10_000);
      await press('app.back');
      await waitFor(
        async () => !(await tmux.capture()).includes('Search "'),
        5_000,
        'Esc to clear the results',
      );
      expect(await tmux.capture()).toContain('Queue parked');
      await press('app.back');
      await tmux.waitForText('[1 Queues]');
      expect(await redis.llen('parked')).toBe(3);
    });
  });
});
