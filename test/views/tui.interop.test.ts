import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { qtopBin } from '../helpers/qtop-cli.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';
import { pressIn } from './tmux-keys.js';

// The screen end to end: the built qtop in a real terminal (tmux, 200x50) against real
// redis-server and a real Celery 5.2 worker with task events; keys are pressed by command id.
// Needs `npm run build` first.
let cluster: Cluster;
let tmux: TmuxSession;
let hostname: string;

/** Press command `id` in the pane. */
const press = (id: string) => pressIn(tmux, id);

beforeAll(async () => {
  cluster = await startCluster({
    workers: [{ name: 'w1', events: true, concurrency: 2, queues: ['celery'] }],
  });
  hostname = cluster.workers[0]!.hostname;
  await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 5 });
  tmux = await startTmux({
    command: [
      'bash',
      '-c',
      `node ${qtopBin} -b ${cluster.brokerUrl} --label interop; echo EXITED:$?; sleep 30`,
    ],
    cols: 200,
    rows: 50,
  });
});

afterAll(async () => {
  await tmux?.kill();
  await cluster?.stop();
});

describe('qtop screen on a live cluster', () => {
  it('shows the header, the queue backlog of an unconsumed queue, and the worker', async () => {
    const screen = await tmux.waitForText(/parked\s+5\s/, 20_000);
    expect(screen).toContain('[ INTEROP ]');
    expect(screen).toContain('[0 Overview]');
    await press('panel.workers');
    await tmux.waitForText(new RegExp(`${hostname.replace('.', '\\.')}\\s+● online`), 15_000);
  });

  it('shows a task reaching SUCCESS and a FAILURE with its traceback in the detail view', async () => {
    await cluster.sendTasks('app.add', [2, 3]);
    await cluster.sendTasks('app.boom', ['kaboom']);
    await press('panel.tasks');
    await tmux.waitForText(/✓ SUCCESS\s+app\.add/, 15_000);
    await tmux.waitForText(/✗ FAILURE\s+app\.boom/, 15_000);
    await press('tasks.filter');
    await tmux.sendText('state:FAILURE');
    await press('filter.apply');
    await tmux.waitForText('filter: state:FAILURE');
    await press('list.open');
    const detail = await tmux.waitForText('ValueError: kaboom', 10_000);
    expect(detail).toContain('Traceback (most recent call last)');
    expect(detail).toContain('task-failed');
    await press('app.back');
    await tmux.waitForText('filter: state:FAILURE');
  });

  it('keeps a usable layout when resized from 200x50 to 80x24', async () => {
    await tmux.resize(80, 24);
    await press('panel.queues');
    const screen = await tmux.waitForText('[1 Queues]');
    const lines = screen.split('\n');
    expect(lines[0]).toContain('qtop');
    expect(screen).toContain('workers 1 up');
    expect(screen).toMatch(/q quit/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(screen).not.toContain('(Enter opens)');
  });

  it('q leaves a restored terminal and exits 0', async () => {
    await press('app.quit');
    const screen = await tmux.waitForText('EXITED:0', 10_000);
    expect(screen).not.toContain('workers 1 up');
    expect(screen.split('\n')[0]).toBe('EXITED:0');
  });
});

describe('leaving the screen', () => {
  // The shell stays after qtop (a dead tmux pane loses its main screen, which would hide
  // whether qtop restored it) and prints qtop's exit status.
  async function fresh(): Promise<{ pane: TmuxSession; qtopPid: () => number }> {
    const pidFile = path.join(os.tmpdir(), `qtop-tui-${process.pid}-${Date.now()}.pid`);
    const pane = await startTmux({
      command: [
        'bash',
        '-c',
        `echo $$ > ${pidFile}; echo BEFORE; node ${qtopBin} -b ${cluster.brokerUrl}; echo EXITED:$?; sleep 30`,
      ],
      cols: 100,
      rows: 30,
    });
    await pane.waitForText('[0 Overview]', 20_000);
    const shell = fs.readFileSync(pidFile, 'utf8').trim();
    fs.rmSync(pidFile, { force: true });
    // By parent alone: qtop renames its process (a masked title), so its name is not `node`.
    const qtopPid = () => Number(execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim());
    return { pane, qtopPid };
  }

  async function expectRestored(pane: TmuxSession): Promise<void> {
    const screen = await pane.waitForText('EXITED:0', 10_000);
    expect(screen.split('\n').slice(0, 2)).toEqual(['BEFORE', 'EXITED:0']);
  }

  it('Ctrl-C restores the terminal and exits 0', async () => {
    const { pane } = await fresh();
    try {
      await pane.sendKeys('C-c');
      await expectRestored(pane);
    } finally {
      await pane.kill();
    }
  });

  it('SIGTERM restores the terminal and exits 0', async () => {
    const { pane, qtopPid } = await fresh();
    try {
      process.kill(qtopPid(), 'SIGTERM');
      await expectRestored(pane);
    } finally {
      await pane.kill();
    }
  });
});
