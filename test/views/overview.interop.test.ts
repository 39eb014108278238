import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { qtopBin } from '../helpers/qtop-cli.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';
import { pressIn, selectedLineOf } from './tmux-keys.js';

/** Every line of the pane fits its width. */
function fits(screen: string, cols: number): void {
  for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(cols);
}

// The Overview, the first screen, end to end: the built qtop in tmux at 80x24 and 200x50 against
// real redis-server and real Celery workers, on 5.2 and 5.6 (celeryVersions). What it must show
// appears only after it happens: a backlog on a queue nobody consumes, a worker killed with
// SIGKILL (lost, never offline: it sent no worker-offline), and a failure group. Needs
// `npm run build` first.
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let tmux: TmuxSession;
  let lostHost: string;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      workers: [
        { name: 'w1', events: true, concurrency: 2, queues: ['celery'] },
        { name: 'w2', events: true, concurrency: 1, queues: ['celery'] },
      ],
    });
    lostHost = cluster.workers[1]!.hostname;
    tmux = await startTmux({
      command: ['bash', '-c', `node ${qtopBin} -b ${cluster.brokerUrl}; echo EXITED:$?; sleep 30`],
      cols: 80,
      rows: 24,
    });
    await tmux.waitForText('[0 Overview]', 20_000);
  });

  afterAll(async () => {
    await tmux?.kill();
    await cluster?.stop();
  });

  describe('the overview on a live cluster', () => {
    it('starts on the overview with all five sections at 80x24, before anything is wrong', async () => {
      const screen = await tmux.waitForText(/WORKERS\s+2 up · 0 lost/, 20_000);
      for (const heading of ['THROUGHPUT 15m', 'QUEUES', 'FAILURES none held', 'HEALTH'])
        expect(screen).toContain(heading);
      expect(screen).not.toContain('parked');
      expect(screen).not.toContain('LOST');
      fits(screen, 80);
    });

    it('shows a backlog queue, a lost worker and a failure group after they happen (80x24)', async () => {
      await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 5 });
      await cluster.sendTasks('app.boom', ['kaboom'], { count: 3 });
      await cluster.sendTasks('app.add', [2, 3], { count: 6 });
      await tmux.waitForText(/parked\s+5 ready\s+oldest\s+\S+\s+trend\s+\S+\s+NO CONSUMER/, 20_000);
      await tmux.waitForText(/app\.boom {2}ValueError {2}3 in 5m · 3 held/, 20_000);
      cluster.workers[1]!.kill('SIGKILL');
      const screen = await tmux.waitForText(new RegExp(`LOST\\s+${lostHost.replace('.', '\\.')}`), 40_000);
      expect(screen).toMatch(/WORKERS\s+1 up · 1 lost · 0 offline/);
      expect(screen).toMatch(/THROUGHPUT 15m\s+ok [\d.]+\/[sm]\s+failed [\d.]+\/[sm]/);
      expect(screen).toContain('8 Beat');
      fits(screen, 80);
    });

    it('Enter on the lost worker goes to it in the Workers panel', async () => {
      for (let i = 0; i < 30 && !selectedLineOf(await tmux.capture()).includes(lostHost); i++) {
        const before = selectedLineOf(await tmux.capture());
        await pressIn(tmux, 'list.down');
        await waitFor(
          async () => selectedLineOf(await tmux.capture()) !== before,
          2_000,
          'the cursor to move',
        );
      }
      expect(selectedLineOf(await tmux.capture())).toContain('LOST');
      await pressIn(tmux, 'list.open');
      await tmux.waitForText('[2 Workers]');
      expect(selectedLineOf(await tmux.capture())).toContain(lostHost);
      await pressIn(tmux, 'panel.overview');
      await tmux.waitForText('[0 Overview]');
    });

    it('grows at 200x50: the same items, with room to spare', async () => {
      await tmux.resize(200, 50);
      // The old 80-column frame holds the same words: wait for the redraw at the new width.
      await waitFor(
        async () => (await tmux.capture()).split('\n').some((line) => line.length > 150),
        10_000,
        'the overview to redraw at 200 columns',
      );
      const screen = await tmux.waitForText(/parked\s+5 ready.*NO CONSUMER/, 10_000);
      expect(screen).toMatch(new RegExp(`LOST\\s+${lostHost.replace('.', '\\.')}`));
      expect(screen).toMatch(/app\.boom {2}ValueError {2}3 in 5m/);
      expect(screen).toMatch(/^\s+retried /m);
      expect(screen).not.toContain('more)');
      fits(screen, 200);
    });

    it('q leaves and exits 0', async () => {
      await pressIn(tmux, 'app.quit');
      await tmux.waitForText('EXITED:0', 10_000);
    });
  });
});
