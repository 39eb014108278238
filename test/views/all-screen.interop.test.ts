import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { qtopBin } from '../helpers/qtop-cli.js';
import { startRedis } from '../helpers/redis-server.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';
import { pressIn, selectedLineOf } from './tmux-keys.js';

// Every cluster at once on the screen: the built qtop in tmux, two profiles on two real
// redis-servers, one with a Celery worker and a queue nobody consumes, the other stopped
// (unreachable). `qtop --all` lists both, worst first, without the dead one holding the live
// one back; Enter opens a cluster's live screen, Esc comes back; `:all` on a live screen opens
// the list. Needs `npm run build` first.
const timeoutSec = 2;
let cluster: Cluster;
let list: TmuxSession;
let live: TmuxSession;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-all-screen-'));
const configFile = path.join(dir, 'config.toml');

function pane(args: string, cols: number, rows: number): Promise<TmuxSession> {
  return startTmux({
    command: [
      'bash',
      '-c',
      `node ${qtopBin} --config ${configFile} --timeout ${timeoutSec} ${args}; echo EXITED:$?; sleep 30`,
    ],
    cols,
    rows,
    env: { HOME: dir },
  });
}

/**
 * Type `:line` at the prompt: the prompt is open (its hint shows) before the text is typed, so
 * nothing is typed while the terminal is still in line mode at start.
 */
async function prompt(tmux: TmuxSession, line: string): Promise<void> {
  await pressIn(tmux, 'app.prompt');
  await tmux.waitForText('Enter run · Esc cancel', 10_000);
  await tmux.sendText(line);
  await tmux.waitForText(`:${line}█`, 5_000);
}

beforeAll(async () => {
  const [started, gone] = await Promise.all([
    startCluster({ workers: [{ name: 'w1', events: true, concurrency: 1, queues: ['celery'] }] }),
    startRedis(),
  ]);
  cluster = started;
  await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 4 });
  await gone.stop();
  fs.writeFileSync(
    configFile,
    [
      '[profiles.gone]',
      `broker_url = "redis://127.0.0.1:${gone.port}/0"`,
      '[profiles.prod]',
      `broker_url = "${cluster.brokerUrl}"`,
      '',
    ].join('\n'),
  );
}, 90_000);

afterAll(async () => {
  await list?.kill();
  await live?.kill();
  await cluster?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('qtop --all on a terminal (80x24)', () => {
  it('lists every profile, worst first: the live one with its finding, the dead one with its error', async () => {
    const started = Date.now();
    list = await pane('--all', 80, 24);
    const screen = await list.waitForText(/gone\s.*UNKNOWN/, 20_000);
    // Profiles are looked at concurrently and the dead one is cut at --timeout + 1 s; the slack
    // is Node and qtop starting on a loaded 2-core machine, not a wait on the other profile.
    expect(Date.now() - started).toBeLessThan((timeoutSec + 1) * 1000 + 10_000);
    await list.waitForText(/prod\s+✗ CRITICAL\s+1\s+0\s+4/, 20_000);
    const rows = (await list.capture()).split('\n');
    const at = (name: string) => rows.findIndex((line) => new RegExp(`^[> ] ${name}\\s`).test(line));
    expect(at('prod')).toBeGreaterThan(0);
    expect(at('prod')).toBeLessThan(at('gone'));
    expect(screen).toContain('2 profiles');
    for (const line of rows) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("Enter opens the cluster's live screen and Esc comes back to the list", async () => {
    expect(selectedLineOf(await list.capture())).toContain('prod');
    await pressIn(list, 'list.open');
    await list.waitForText(/ctx prod/, 15_000);
    await list.waitForText(/parked\s+4 ready/, 15_000);
    await pressIn(list, 'app.back');
    const back = await list.waitForText('2 profiles', 10_000);
    expect(selectedLineOf(back)).toContain('prod');
  });

  it('a profile that cannot be opened stays in the list with the reason', async () => {
    await pressIn(list, 'list.down');
    await list.waitForText(/^> gone/m, 5_000);
    await pressIn(list, 'list.open');
    await list.waitForText(/gone: .*(refused|reach)/, (timeoutSec + 1) * 1000 + 5_000);
    expect(await list.capture()).toContain('2 profiles');
  });

  it('q leaves and exits 0', async () => {
    await pressIn(list, 'app.quit');
    await list.waitForText('EXITED:0', 10_000);
  });
});

describe(':all on the live screen (200x50)', () => {
  it('opens the list from a cluster; Enter opens a cluster from it and :all there comes back', async () => {
    live = await pane('--profile prod', 200, 50);
    await live.waitForText('[0 Overview]', 20_000);
    await prompt(live, 'all');
    await pressIn(live, 'prompt.run');
    await live.waitForText(/prod\s+✗ CRITICAL/, 20_000);
    // The list starts on the profile it came from.
    expect(selectedLineOf(await live.capture())).toContain('prod');
    await pressIn(live, 'list.open');
    await live.waitForText(/ctx prod/, 15_000);
    await prompt(live, 'all');
    await pressIn(live, 'prompt.run');
    await live.waitForText('2 profiles', 10_000);
    await pressIn(live, 'app.quit');
    await live.waitForText('EXITED:0', 10_000);
  });
});
