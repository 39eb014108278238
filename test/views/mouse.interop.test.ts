import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { qtopBin } from '../helpers/qtop-cli.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';
import { pressIn, selectedLineOf } from './tmux-keys.js';

// The mouse in a real terminal: the built qtop in tmux against a real redis-server and a real
// Celery worker. A click is what a terminal sends for one (SGR reports, typed into the pane with
// `send-keys -l`); tmux's pane flags say whether qtop turned mouse reporting on, and off again
// when it left. With --no-mouse the same bytes do nothing. Needs `npm run build` first.
let cluster: Cluster;
let withMouse: TmuxSession;
let noMouse: TmuxSession;

function pane(args: string): Promise<TmuxSession> {
  return startTmux({
    command: ['bash', '-c', `node ${qtopBin} -b ${cluster.brokerUrl} ${args}; echo EXITED:$?; sleep 30`],
    cols: 100,
    rows: 30,
    env: { TERM: 'screen-256color' },
  });
}

/** The pane's mouse modes as tmux tracks them: standard (1000) and SGR (1006). */
function mouseFlags(tmux: TmuxSession): string {
  return execFileSync(
    'tmux',
    ['-L', tmux.socket, 'display', '-p', '-t', tmux.name, '#{mouse_standard_flag}#{mouse_sgr_flag}'],
    {
      encoding: 'utf8',
    },
  ).trim();
}

/** A left click (press, release) on cell x, y (0-based), as the terminal reports it. */
async function click(tmux: TmuxSession, x: number, y: number): Promise<void> {
  await tmux.sendText(`\u001b[<0;${x + 1};${y + 1}M`);
  await tmux.sendText(`\u001b[<0;${x + 1};${y + 1}m`);
}

/** Row of the first line of `screen` matching `pattern`. */
function lineOf(screen: string, pattern: RegExp): number {
  const y = screen.split('\n').findIndex((line) => pattern.test(line));
  if (y < 0) throw new Error(`no line matching ${pattern} in:\n${screen}`);
  return y;
}

beforeAll(async () => {
  cluster = await startCluster({
    workers: [{ name: 'w1', events: true, concurrency: 1, queues: ['celery'] }],
  });
  await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 4 });
  await cluster.sendTasks('app.add', [1, 2], { queue: 'aside', count: 2 });
  [withMouse, noMouse] = await Promise.all([pane(''), pane('--no-mouse')]);
  for (const tmux of [withMouse, noMouse]) {
    await tmux.waitForText('[0 Overview]', 20_000);
    await pressIn(tmux, 'panel.queues');
    // (The overview lists the queues too: wait for the Queues panel itself.)
    await tmux.waitForText(/\[1 Queues\][\s\S]*parked\s+4\s/, 20_000);
  }
});

afterAll(async () => {
  await withMouse?.kill();
  await noMouse?.kill();
  await cluster?.stop();
});

describe('the mouse in tmux', () => {
  it('turns SGR mouse reporting on, and not with --no-mouse', () => {
    expect(mouseFlags(withMouse)).toBe('11');
    expect(mouseFlags(noMouse)).toBe('00');
  });

  it('a click on a row selects it, a second click opens it', async () => {
    const screen = await withMouse.capture();
    expect(selectedLineOf(screen)).not.toContain('parked');
    const y = lineOf(screen, /^ {2}parked\s/);
    await click(withMouse, 6, y);
    await withMouse.waitForText(/^> parked\s/m, 5_000);
    await click(withMouse, 6, y);
    await withMouse.waitForText('Queue parked', 5_000);
    await pressIn(withMouse, 'app.back');
    await withMouse.waitForText('[1 Queues]', 5_000);
  });

  it('a click on a tab shows its panel', async () => {
    const screen = await withMouse.capture();
    const y = lineOf(screen, /\[1 Queues\]/);
    const x = screen.split('\n')[y]!.indexOf('2 Workers');
    await click(withMouse, x + 2, y);
    await withMouse.waitForText('[2 Workers]', 5_000);
  });

  it('with --no-mouse the same bytes do nothing, and fire no stray keys', async () => {
    const before = await noMouse.capture();
    const y = lineOf(before, /^ {2}parked\s/);
    await click(noMouse, 6, y);
    const tab = lineOf(before, /\[1 Queues\]/);
    await click(noMouse, before.split('\n')[tab]!.indexOf('2 Workers') + 2, tab);
    // Then a key: once its effect shows, the clicks before it were read and did nothing.
    await pressIn(noMouse, 'app.help');
    await noMouse.waitForText('qtop keys', 5_000);
    await pressIn(noMouse, 'help.close');
    const selected = selectedLineOf(before)
      .slice(0, 20)
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const after = await noMouse.waitForText(new RegExp(`^${selected}`, 'm'), 5_000);
    expect(after).toContain('[1 Queues]');
    expect(after).not.toContain('qtop keys');
    expect(after).not.toContain('works in:');
    expect(after).not.toContain('Queue parked');
  });

  it('turns mouse reporting off when it leaves', async () => {
    await pressIn(withMouse, 'app.quit');
    await withMouse.waitForText('EXITED:0', 10_000);
    expect(mouseFlags(withMouse)).toBe('00');
    await pressIn(noMouse, 'app.quit');
    await noMouse.waitForText('EXITED:0', 10_000);
  });
});
