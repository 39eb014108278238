import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { qtopBin, runQtop, spawnQtop } from '../helpers/qtop-cli.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';
import { pressIn } from '../views/tmux-keys.js';

// `qtop demo` end to end: the built qtop starts its own redis-server and Celery 5.2 workers (or
// the simulator), the screen shows them in a real terminal (tmux, 120x40), and after q, SIGTERM or
// --duration nothing of the demo is left: no process naming its port, nothing in its TMPDIR.
// Needs `npm run build` first.

let tmux: TmuxSession | undefined;
const tmpDirs: string[] = [];

afterEach(async () => {
  await tmux?.kill();
  tmux = undefined;
  for (const dir of tmpDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A TMPDIR of the test's own: the demo's temp dir (and the pool's) must be gone from it at the end. */
function testTmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-demo-test-'));
  tmpDirs.push(dir);
  return dir;
}

/** Command lines of the processes that name `127.0.0.1:{port}` (redis-server's title, the workers' -b). */
function processesOn(port: number): string[] {
  try {
    const out = execFileSync('pgrep', ['-af', `127\\.0\\.0\\.1:${port}\\b|--port ${port}\\b`], {
      encoding: 'utf8',
    });
    return out
      .trim()
      .split('\n')
      .filter((line) => line !== '' && !line.includes('pgrep'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function expectCleanEnd(session: TmuxSession, port: number, tmpDir: string): Promise<void> {
  const screen = await session.waitForText(/EXITED:\d+/, 30_000);
  expect(screen).toContain('EXITED:0');
  expect(screen).toContain('qtop demo: stopped everything it started');
  await waitFor(() => processesOn(port).length === 0, 10_000, `no process on port ${port}`);
  expect(fs.readdirSync(tmpDir)).toEqual([]);
}

/** Open the demo in tmux and return the broker port the header shows. */
async function openDemo(args: string[], tmpDir: string): Promise<{ session: TmuxSession; port: number }> {
  const session = await startTmux({
    command: ['bash', '-c', `node ${qtopBin} demo ${args.join(' ')}; echo EXITED:$?; sleep 30`],
    cols: 120,
    rows: 40,
    env: { TMPDIR: tmpDir },
  });
  tmux = session;
  const screen = await session.waitForText(/\[ DEMO \].*redis:\/\/127\.0\.0\.1:\d+/, 40_000);
  const port = Number(/redis:\/\/127\.0\.0\.1:(\d+)/.exec(screen)?.[1]);
  expect(port).toBeGreaterThan(0);
  expect(port).not.toBe(6379);
  return { session, port };
}

describe('qtop demo', () => {
  it('shows real workers, queues and failures, and leaves nothing behind after q', async () => {
    const tmpDir = testTmpDir();
    const { session, port } = await openDemo([], tmpDir);
    await session.waitForText(/workers 3 up/, 40_000);
    await session.waitForText(/failed\/1m [1-9]/, 40_000);
    await session.waitForText(/parked\s+[1-9]/, 20_000);
    // The screen starts on the overview, which lists only queues with work: the table has them all.
    await pressIn(session, 'panel.queues');
    const screen = await session.waitForText('[1 Queues]', 10_000);
    expect(screen).toMatch(/reports\s+\d+\s+\d+/);
    expect(processesOn(port).length).toBeGreaterThanOrEqual(4); // redis-server and 3 workers at least
    await session.sendKeys('q');
    await expectCleanEnd(session, port, tmpDir);
  });

  it('--simulated shows the simulator on a private redis-server, and leaves nothing behind', async () => {
    const tmpDir = testTmpDir();
    const { session, port } = await openDemo(['--simulated'], tmpDir);
    await session.waitForText(/workers 3 up/, 30_000);
    await session.waitForText(/failed\/1m [1-9]/, 40_000);
    await session.sendKeys('q');
    await expectCleanEnd(session, port, tmpDir);
  });

  it('--print-url keeps the cluster up for another qtop, and SIGTERM stops it all', async () => {
    const tmpDir = testTmpDir();
    const demo = spawnQtop(['demo', '--print-url'], { TMPDIR: tmpDir });
    await waitFor(() => demo.lines.length > 0, 40_000, 'the broker URL on stdout');
    const url = demo.lines[0] ?? '';
    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+\/0$/);
    const port = Number(new URL(url).port);
    let snapshot: {
      workers: { state: string }[];
      queues: { name: string; consumers: { workers: number } }[];
    };
    await waitFor(
      async () => {
        const run = await runQtop(['-b', url, '--json']);
        snapshot = JSON.parse(run.stdout);
        return snapshot.workers.filter((w) => w.state === 'online').length === 3;
      },
      30_000,
      'three online workers in qtop --json',
      500,
    );
    const parked = snapshot!.queues.find((q) => q.name === 'parked');
    expect(parked?.consumers.workers ?? 0).toBe(0);
    expect(await demo.stop('SIGTERM')).toBe(0);
    expect(demo.stderr()).toContain('qtop demo: stopped everything it started');
    await waitFor(() => processesOn(port).length === 0, 10_000, `no process on port ${port}`);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });

  it('says what to install when redis-server is missing, and exits 2', async () => {
    const noRedis = { PATH: '/nonexistent' };
    const real = await runQtop(['demo', '--print-url'], noRedis);
    expect(real.code).toBe(2);
    expect(real.stderr).toContain('apt-get install redis-server python3-celery python3-redis');
    const simulated = await runQtop(['demo', '--simulated', '--print-url'], noRedis);
    expect(simulated.code).toBe(2);
    expect(simulated.stderr).toContain('--simulated needs redis-server');
  });
});
