import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meta, waitMeta } from '../commands/control-helpers.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { qtopBin } from '../helpers/qtop-cli.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';
import { pressIn } from './tmux-keys.js';

// M (edit and retry) with a real editor: vim, driven by keystrokes in the same tmux pane that qtop
// runs in, so the screen really hands the terminal over and takes it back. tui-bulk-edit covers
// the same flow with a script as $EDITOR; this one proves a full-screen editor works. Needs
// `npm run build` first.
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let tmux: TmuxSession;
  let redis: Redis;

  const press = (id: string) => pressIn(tmux, id);

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      env: { QTOP_RESULT_EXTENDED: '1' },
      workers: [{ name: 'v1', events: true, concurrency: 1, prefetchMultiplier: 1 }],
    });
    redis = new Redis(cluster.brokerUrl);
    tmux = await startTmux({
      command: ['bash', '-c', `node ${qtopBin} -b ${cluster.brokerUrl}; echo EXITED:$?; sleep 30`],
      // No vimrc, no viminfo, no swap file: the editor is the same on every machine.
      env: { EDITOR: 'vim -u NONE -i NONE -N -n', VISUAL: '' },
      cols: 120,
      rows: 40,
    });
    await tmux.waitForText('[0 Overview]', 20_000);
  });

  afterAll(async () => {
    await tmux?.kill();
    redis?.disconnect();
    await cluster?.stop();
  });

  it('M opens the failed call in vim; a substitution and :wq run the edited call under a new id', async () => {
    const [bad] = await cluster.sendTasks('app.add', ['x', 1]);
    await waitMeta(redis, bad!, 'FAILURE');
    await press('panel.tasks');
    await tmux.waitForText('[3 Tasks]');
    await press('tasks.filter');
    await tmux.sendText('state:FAILURE name:app.add');
    await press('filter.apply');
    await tmux.waitForText(bad!.slice(0, 8), 20_000);
    await press('task.edit-retry');

    // vim owns the screen now: the exact call, and none of qtop's frame.
    const inVim = await tmux.waitForText(/"args": \[/, 20_000);
    expect(inVim).toContain('"x",');
    expect(inVim).not.toContain('[3 Tasks]');
    await tmux.sendText(':%s/"x"/41/');
    await tmux.sendKeys('Enter');
    await tmux.waitForText(/^\s+41,$/m);
    await tmux.sendText(':wq');
    await tmux.sendKeys('Enter');

    // Back in qtop, whole, with the diff of the edit.
    const dialog = await tmux.waitForText('Retry with an edited call', 20_000);
    expect(dialog).toContain('-     "x",');
    expect(dialog).toContain('+     41,');
    expect(dialog).toContain('[3 Tasks]');
    expect(dialog).not.toContain(':wq');
    await press('confirm.focus');
    await tmux.waitForText('> Retry edited <');
    await press('confirm.accept');
    const done = await tmux.waitForText(/retry edited: retried 1 of 1: \S+ -> \S+/, 20_000);
    const newId = new RegExp(`${bad} -> (\\S+)`).exec(done)?.[1];
    expect(newId).toMatch(/^[0-9a-f-]{36}$/);
    expect(newId).not.toBe(bad);
    const result = await waitMeta(redis, newId!, 'SUCCESS', 30_000);
    expect(result.result).toBe(42);
    // The original stays what it was: a failure with its own call.
    expect((await meta(redis, bad!))?.status).toBe('FAILURE');
  }, 120_000);
});
