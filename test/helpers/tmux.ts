import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onProcessEnd } from './process-end.js';

export interface TmuxOptions {
  /** argv of the program to run in the pane; tmux 3 executes it directly, without a shell. */
  command: string[];
  cols: number;
  rows: number;
  /** Added to the pane's environment (on top of this process's environment). */
  env?: Record<string, string>;
  /** Working directory of the program; default: this process's. */
  cwd?: string;
}

export interface CaptureOptions {
  /** Include the scrollback (`-S -`): what scrolled off, e.g. the start of a crash's stack trace. */
  history?: boolean;
  /** Keep colour and attribute escape sequences (`-e`). */
  escapes?: boolean;
}

/** A program running in a real terminal (a detached tmux pane) that a test can type into and read. */
export interface TmuxSession {
  /** `-L` socket name of the private tmux server. */
  socket: string;
  /** Session name, the target of every command. */
  name: string;
  /** Type tmux key names (`'Enter'`, `'C-c'`, `'Up'`, `'q'`); unknown names are sent as text. */
  sendKeys(...keys: string[]): Promise<void>;
  /** Type `text` literally (`send-keys -l`), so words like "Enter" are not taken as key names. */
  sendText(text: string): Promise<void>;
  /** The visible screen as text (`capture-pane -p`), one line per row. */
  capture(opts?: CaptureOptions): Promise<string>;
  /**
   * Poll the screen every 50 ms until it contains `text` (or matches it) and return that screen.
   * On timeout the error quotes the screen with its scrollback, which is usually the diagnosis.
   */
  waitForText(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Change the terminal size; the program gets SIGWINCH and sees the new size. */
  resize(cols: number, rows: number): Promise<void>;
  /** True while the program in the pane is running. */
  isAlive(): Promise<boolean>;
  /**
   * The program's exit status once it has exited (128 + N when signal N ended it), else null.
   * May lag `isAlive()` turning false by a few milliseconds: poll it with `waitFor`.
   */
  exitStatus(): Promise<number | null>;
  /** Kill the private tmux server (and with it the program) and remove its socket. Idempotent. */
  kill(): Promise<void>;
}

let counter = 0;
/** Leftovers of each live session, by socket name, for the exit handler. */
const live = new Map<string, { socketPath: string; dir: string }>();

// A tmux server outlives the test process unless killed (see process-end.ts).
function cleanupAll(): void {
  for (const [socket, { socketPath, dir }] of live) {
    spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    fs.rmSync(socketPath, { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  live.clear();
}
onProcessEnd(cleanupAll);

/**
 * Runs the program and writes its exit status (128 + signal number for a signal) to the file
 * named by $0. Needed because tmux 3.3a here sometimes never reaps a pane's process (it stays a
 * zombie, `pane_dead_status` stays empty): measured in 6 of 10 runs of `echo; sleep 1; exit 3`.
 * The traps are handlers, not SIG_IGN, so the program still gets default dispositions after
 * exec, while the wrapper survives the terminal's Ctrl-C / Ctrl-\ (sent to the whole foreground
 * group) long enough to record. SIGHUP is deliberately not trapped: on kill-server the kernel
 * hangs up only the session leader (this wrapper), and only its death passes SIGHUP on to the
 * program; trapping it left programs running after kill().
 */
const STATUS_WRAPPER = 'trap : INT QUIT; "$@"; echo $? > "$0"';

/**
 * Start `command` in a new detached tmux session of exactly `cols` × `rows`, on a private tmux
 * server (`-L qtop-test-{pid}-{n}`, `-f /dev/null`) so it can never touch, or be shaped by, the
 * user's own tmux. Resolves once the program has been started.
 *
 * Server options, set before the pane exists so that they apply to it from the first byte:
 * - `status off`: the pane is the whole window, so `rows` is what the program gets;
 * - `remain-on-exit on`: the screen of a program that crashed can still be captured;
 * - `escape-time 0`: an Escape key reaches the program at once, not after 500 ms;
 * - `default-terminal tmux-256color`: a real terminfo entry for TUI libraries.
 * Not `window-size manual`: set globally before the first session it crashes tmux 3.3a
 * ("server exited unexpectedly"), and `resize-window` switches the window to manual sizing by
 * itself, which is all that `resize` needs.
 */
export async function startTmux(opts: TmuxOptions): Promise<TmuxSession> {
  counter += 1;
  const socket = `qtop-test-${process.pid}-${counter}`;
  const name = `qtop-${counter}`;
  const env = { ...process.env, ...opts.env };
  const tmux = (args: string[]) => run(socket, args, env);

  const sessionArgs = ['new-session', '-d', '-s', name, '-x', String(opts.cols), '-y', String(opts.rows)];
  if (opts.cwd) sessionArgs.push('-c', literal(opts.cwd));
  // The server's environment is ours (it is forked from this first client); `-e` makes the extra
  // variables explicit for the session even if a tmux server option would filter them.
  for (const [key, value] of Object.entries(opts.env ?? {}))
    sessionArgs.push('-e', literal(`${key}=${value}`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-tmux-'));
  const statusFile = path.join(dir, 'exit-status');
  sessionArgs.push('--', '/bin/sh', '-c', STATUS_WRAPPER, literal(statusFile), ...opts.command.map(literal));
  const serverOptions = [
    ['-g', 'status', 'off'],
    ['-g', 'remain-on-exit', 'on'],
    ['-s', 'escape-time', '0'],
    ['-g', 'default-terminal', 'tmux-256color'],
  ];
  try {
    // One client invocation, so the options are in place before the pane starts.
    await tmux([
      'start-server',
      ';',
      ...serverOptions.flatMap((o) => ['set-option', ...o, ';']),
      ...sessionArgs,
    ]);
  } catch (error) {
    await tmux(['kill-server']).catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.()}`, socket), {
      force: true,
    });
    throw error;
  }
  const socketPath = (await tmux(['display-message', '-p', '-t', name, '#{socket_path}'])).trim();
  live.set(socket, { socketPath, dir });

  const capture = async (copts: CaptureOptions = {}) => {
    const args = ['capture-pane', '-p', '-t', name];
    if (copts.history) args.push('-S', '-');
    if (copts.escapes) args.push('-e');
    return tmux(args);
  };
  const exitStatus = async () => {
    try {
      const text = await fs.promises.readFile(statusFile, 'utf8');
      return /^\d+\n$/.test(text) ? Number(text) : null; // a half-written file is "not yet"
    } catch {
      return null;
    }
  };

  let killed: Promise<void> | undefined;
  return {
    socket,
    name,
    async sendKeys(...keys) {
      await tmux(['send-keys', '-t', name, ...keys.map(literal)]);
    },
    async sendText(text) {
      await tmux(['send-keys', '-t', name, '-l', '--', literal(text)]);
    },
    capture,
    async waitForText(text, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      const matches = (screen: string) =>
        typeof text === 'string' ? screen.includes(text) : text.test(screen);
      for (;;) {
        const screen = await capture();
        if (matches(screen)) return screen;
        if (Date.now() >= deadline) {
          const full = await capture({ history: true }).catch(
            (error: unknown) => `(capture failed: ${error})`,
          );
          throw new Error(
            `timed out after ${timeoutMs} ms waiting for ${String(text)} in tmux pane:\n${full}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async resize(cols, rows) {
      await tmux(['resize-window', '-t', name, '-x', String(cols), '-y', String(rows)]);
    },
    async isAlive() {
      if ((await exitStatus()) !== null) return false;
      try {
        // pane_dead turns 1 at end of output (pty EOF), which tmux notices reliably.
        return (await tmux(['display-message', '-p', '-t', name, '#{pane_dead}'])).trim() === '0';
      } catch {
        return false; // no server, no session: certainly not running
      }
    },
    exitStatus,
    kill() {
      killed ??= (async () => {
        await tmux(['kill-server']).catch(() => {}); // already gone is fine
        fs.rmSync(socketPath, { force: true }); // tmux 3.3 leaves the socket file behind
        fs.rmSync(dir, { recursive: true, force: true });
        live.delete(socket);
      })();
      return killed;
    },
  };
}

/**
 * tmux splits its command line at any argument that *ends* in ';' (that is how `a ; b` chains
 * commands), so `bash -c 'x;'` would be cut in two; a trailing backslash-semicolon is its escape for a literal ';'.
 */
function literal(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

function run(socket: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env }, (error, stdout, stderr) => {
      if (error) reject(new Error(`tmux ${args[0]} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}
