import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

// The tmux driver that end-to-end TUI tests will stand on: typing, reading, resizing, exit status
// and cleanup, checked against plain shell programs.

const sessions: TmuxSession[] = [];

async function start(command: string[], cols = 60, rows = 15, env?: Record<string, string>) {
  const session = await startTmux({ command, cols, rows, env });
  sessions.push(session);
  return session;
}

function pgrep(pattern: string): string {
  return spawnSync('pgrep', ['-af', pattern], { encoding: 'utf8' }).stdout.trim();
}

/** Processes whose command line mentions the session's private socket: its tmux server. */
function serverProcesses(session: TmuxSession): string {
  return pgrep(`tmux -L ${session.socket} `);
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.kill()));
});

describe('startTmux', () => {
  it('shows output and delivers typed keys', async () => {
    const tmux = await start(['bash', '-c', 'echo hello; read x; echo got:$x; sleep 5']);
    await tmux.waitForText('hello');
    await tmux.sendText('abc Enter');
    await tmux.sendKeys('Enter');
    const screen = await tmux.waitForText('got:abc Enter');
    expect(screen.split('\n').slice(0, 3)).toEqual(['hello', 'abc Enter', 'got:abc Enter']);
  });

  it('passes arguments ending in ";" through verbatim (tmux would split its command line there)', async () => {
    const tmux = await start(['bash', '-c', 'echo "[$0] [$1]"; read x; echo "got $x"; sleep 5;', ';', 'x;']);
    await tmux.waitForText('[;] [x;]');
    await tmux.sendText('a;');
    await tmux.sendKeys('Enter');
    await tmux.waitForText('got a;');
  });

  it('gives the program exactly cols x rows, and resize changes what tput reports', async () => {
    const tmux = await start(
      ['bash', '-c', 'tput cols; tput lines; read x; tput cols; tput lines; sleep 5'],
      40,
      10,
    );
    await tmux.waitForText(/^40\n10$/m);
    await tmux.resize(100, 30);
    await tmux.sendKeys('Enter');
    await tmux.waitForText(/^100\n30$/m);
    const screen = await tmux.capture();
    expect(screen.split('\n')).toHaveLength(30 + 1); // 30 rows, each ending in a newline
    expect(Math.max(...screen.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
  });

  it('delivers SIGWINCH on resize', async () => {
    const tmux = await start([
      'bash',
      '-c',
      'trap \'echo "winch $(tput cols)x$(tput lines)"\' WINCH; echo ready; while :; do sleep 0.05; done',
    ]);
    await tmux.waitForText('ready');
    await tmux.resize(72, 20);
    await tmux.waitForText('winch 72x20');
  });

  it('passes env and a real terminfo TERM to the program', async () => {
    const tmux = await start(['bash', '-c', 'echo "v=$QTOP_TMUX_PROBE t=$TERM"; sleep 5'], 60, 15, {
      QTOP_TMUX_PROBE: '42',
    });
    await tmux.waitForText('v=42 t=tmux-256color');
  });

  it('keeps the screen of an exited program and reports its exit status', async () => {
    const tmux = await start(['bash', '-c', 'echo bye; sleep 1; exit 3']);
    expect(await tmux.isAlive()).toBe(true);
    expect(await tmux.exitStatus()).toBeNull();
    await waitFor(async () => (await tmux.exitStatus()) !== null, 5_000, 'the exit status');
    expect(await tmux.exitStatus()).toBe(3);
    expect(await tmux.isAlive()).toBe(false);
    expect(await tmux.capture({ history: true })).toContain('bye');
  });

  it('reports a signal death as 128 + N (Ctrl-C in a cooked terminal)', async () => {
    const tmux = await start(['bash', '-c', 'echo waiting; exec sleep 30']);
    await tmux.waitForText('waiting');
    await tmux.sendKeys('C-c');
    await waitFor(async () => (await tmux.exitStatus()) !== null, 5_000, 'the exit status');
    expect(await tmux.exitStatus()).toBe(128 + 2);
  });

  it('fails waitForText with the screen in the message', async () => {
    const tmux = await start(['bash', '-c', 'echo something else; sleep 5']);
    await tmux.waitForText('something else');
    await expect(tmux.waitForText('never printed', 300)).rejects.toThrow(
      /never printed[\s\S]*something else/,
    );
  });

  it('kill() ends the private server, the program and the socket, and is idempotent', async () => {
    const marker = `qtop-kill-probe-${process.pid}`; // bash's $0, so pgrep can find the program
    const tmux = await start(['bash', '-c', 'echo up; while :; do sleep 0.1; done', marker]);
    await tmux.waitForText('up');
    expect(pgrep(marker)).not.toBe('');
    const socketPath = spawnSync('tmux', ['-L', tmux.socket, 'display-message', '-p', '#{socket_path}'], {
      encoding: 'utf8',
    }).stdout.trim();
    expect(fs.existsSync(socketPath)).toBe(true);
    expect(serverProcesses(tmux)).not.toBe('');
    await tmux.kill();
    await tmux.kill();
    expect(await tmux.isAlive()).toBe(false);
    expect(fs.existsSync(socketPath)).toBe(false);
    await waitFor(() => serverProcesses(tmux) === '', 2_000, 'the tmux server to exit');
    await waitFor(() => pgrep(marker) === '', 2_000, 'the program to exit');
  });

  it('uses a distinct private server per session', async () => {
    const a = await start(['bash', '-c', 'echo A; sleep 5']);
    const b = await start(['bash', '-c', 'echo B; sleep 5']);
    expect(a.socket).not.toBe(b.socket);
    expect(a.socket).toMatch(new RegExp(`^qtop-test-${process.pid}-\\d+$`));
    await a.waitForText('A');
    await b.kill();
    expect(await a.isAlive()).toBe(true);
    expect(await b.isAlive()).toBe(false);
  });
});
