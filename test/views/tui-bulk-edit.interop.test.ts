import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meta, waitMeta } from '../commands/control-helpers.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { qtopBin } from '../helpers/qtop-cli.js';
import { celeryVersions } from '../helpers/shared-trees.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';
import { pressIn } from './tmux-keys.js';

// B (act on all matching tasks) and M (edit and retry) on the built qtop in tmux, against a real
// worker (5.2 and 5.6). $EDITOR is a script that rewrites the call, so the screen really steps aside
// for an external program and comes back. Needs `npm run build` first.
describe.each(celeryVersions())('on Celery %s', (celery) => {
  let cluster: Cluster;
  let tmux: TmuxSession;
  let redis: Redis;
  let dir: string;

  const press = (id: string) => pressIn(tmux, id);

  async function filter(query: string): Promise<void> {
    await press('panel.tasks');
    await tmux.waitForText('[3 Tasks]');
    // Esc on the Tasks panel clears the filter of a previous test (else it only says why not).
    await press('app.back');
    await tmux.waitForText(/Tasks\s+[\d,]+ held/);
    await press('tasks.filter');
    await tmux.sendText(query);
    await press('filter.apply');
  }

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      env: { QTOP_RESULT_EXTENDED: '1' },
      workers: [{ name: 'b1', events: true, concurrency: 1, prefetchMultiplier: 1 }],
    });
    redis = new Redis(cluster.brokerUrl);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-editor-'));
    const editor = path.join(dir, 'edit-call.sh');
    // The "editor": rewrites the call it is given, and leaves a mark that it ran on that file.
    fs.writeFileSync(
      editor,
      `#!/bin/sh\ncp "$1" "${dir}/seen.json"\nprintf '%s\\n' '{"args": [12345678901234567890, 1], "kwargs": {}}' > "$1"\n`,
      { mode: 0o755 },
    );
    tmux = await startTmux({
      command: ['bash', '-c', `node ${qtopBin} -b ${cluster.brokerUrl}; echo EXITED:$?; sleep 30`],
      env: { EDITOR: editor, VISUAL: '' },
      cols: 200,
      rows: 50,
    });
    await tmux.waitForText('[0 Overview]', 20_000);
  });

  afterAll(async () => {
    await tmux?.kill();
    redis?.disconnect();
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('B on a filter revokes exactly the waiting tasks it matches; the others run', async () => {
    const [busy] = await cluster.sendTasks('app.sleepy', [12]);
    await waitMeta(redis, busy!, 'STARTED');
    const targets = await cluster.sendTasks('app.echo', ['tmux-bulk'], { count: 20 });
    const others = await cluster.sendTasks('app.add', [2, 3], { count: 2 });
    await waitFor(async () => (await redis.hlen('unacked')) === 1, 10_000, 'one task reserved');
    await filter('name:app.echo');
    await press('tasks.bulk');
    await tmux.waitForText('Act on all tasks matching the filter');
    await press('bulk.accept');
    const confirm = await tmux.waitForText("Type '20' to confirm", 20_000);
    expect(confirm).toContain('Revoke 20 tasks matching name:app.echo (20 waiting in queues)');
    for (const id of targets) expect(await meta(redis, id)).toBeNull();
    await tmux.sendText('20');
    await press('bulk.focus');
    await tmux.waitForText('> Revoke 20 <');
    await press('bulk.accept');
    await tmux.waitForText('bulk revoke: revoke 20 of 20 matching tasks', 30_000);
    for (const id of others) expect((await waitMeta(redis, id, 'SUCCESS', 120_000)).result).toBe(5);
    for (const id of targets) expect((await waitMeta(redis, id, 'REVOKED', 60_000)).status).toBe('REVOKED');
    expect((await waitMeta(redis, busy!, 'SUCCESS', 30_000)).result).toBe(12);
    // One command-log entry per task.
    await press('panel.log');
    await tmux.waitForText('20 commands sent this run');
  }, 240_000);

  it('M opens the failed call in $EDITOR and runs the edited call under a new id', async () => {
    const [bad] = await cluster.sendTasks('app.add', ['x', 1]);
    await waitMeta(redis, bad!, 'FAILURE');
    await filter(`state:FAILURE name:app.add`);
    await tmux.waitForText(bad!.slice(0, 8), 20_000);
    await press('task.edit-retry');
    const dialog = await tmux.waitForText('Retry with an edited call', 20_000);
    // The editor got the exact call, and the screen came back whole with the diff.
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'seen.json'), 'utf8'))).toEqual({
      args: ['x', 1],
      kwargs: {},
    });
    expect(dialog).toContain('-     "x",');
    expect(dialog).toContain('+     12345678901234567890,');
    expect(dialog).toContain('[3 Tasks]');
    await press('confirm.focus');
    await tmux.waitForText('> Retry edited <');
    await press('confirm.accept');
    const done = await tmux.waitForText(/retry edited: retried 1 of 1: \S+ -> \S+/, 20_000);
    const newId = new RegExp(`${bad} -> (\\S+)`).exec(done)?.[1];
    expect(newId).toMatch(/^[0-9a-f-]{36}$/);
    await waitMeta(redis, newId!, 'SUCCESS', 30_000);
    expect(await redis.get(`celery-task-meta-${newId}`)).toContain('"result": 12345678901234567891');
  }, 120_000);
});
