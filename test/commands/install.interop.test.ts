import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema.js';

// Install as users do: `npm pack` the built repo, `npm install -g` the tarball into a private
// prefix, and run the `qtop` the package's `bin` put on that prefix's PATH. The demo must run
// from the installed package alone (its Celery app and simulator ship in it), and the installed
// `qtop --json` must read the cluster it started. Kept under a minute: one pack, one install,
// both demos at once.
const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-install-'));
const prefix = path.join(dir, 'prefix');
const bin = path.join(prefix, 'bin', 'qtop');
// The installed qtop runs away from the repo: a cwd outside it and a PATH with node, redis-server
// and Debian's python3 only (no repo-relative paths can leak in).
const userEnv = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: dir };
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' };
const demos = new Set<ChildProcess>();
let packedFiles: string[] = [];
let packedSize = 0;

afterAll(() => {
  for (const child of demos) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  const pack = await run('npm', ['pack', '--json', '--pack-destination', dir], { env: npmEnv });
  const [info] = JSON.parse(pack.stdout) as Array<{
    filename: string;
    size: number;
    files: Array<{ path: string }>;
  }>;
  packedFiles = info!.files.map((f) => f.path);
  packedSize = info!.size;
  await run(
    'npm',
    ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', path.join(dir, info!.filename)],
    { env: npmEnv, timeout: 80_000 },
  );
}, 90_000);

interface RunningDemo {
  url: string;
  child: ChildProcess;
  stderr: () => string;
}

/** Start the installed `qtop demo --print-url ...`; resolves with the URL it prints first. */
function startDemo(args: string[]): Promise<RunningDemo> {
  const child = spawn(bin, ['demo', '--print-url', '--duration', '50s', ...args], {
    cwd: dir,
    env: userEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demos.add(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ url: line, child, stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`qtop demo ${args.join(' ')} exited ${code}: ${err}`)));
  });
}

/** SIGTERM the demo as a user's Ctrl-C would; resolves with its exit code and stderr. */
function stopDemo(demo: RunningDemo): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    demo.child.on('exit', (code) => {
      demos.delete(demo.child);
      resolve({ code, stderr: demo.stderr() });
    });
    demo.child.kill('SIGTERM');
  });
}

/** The installed `qtop -b URL --json`, parsed, until it sees `want` workers (or 25 s pass). */
async function snapshotWithWorkers(url: string, want: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 25_000;
  for (;;) {
    const { stdout } = await run(bin, ['-b', url, '--json'], { cwd: dir, env: userEnv, timeout: 20_000 });
    const snapshot = JSON.parse(stdout) as Record<string, unknown> & { workers: unknown[] };
    if (snapshot.workers.length >= want || Date.now() > deadline) return snapshot;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

describe('npm pack + npm install -g', () => {
  it('packs only what runs, under 1 MB', () => {
    expect(packedFiles).toContain('dist/commands/main.js');
    expect(packedFiles).toContain('package.json');
    expect(packedFiles).toContain('demo/celery_app/qtop_test_app.py');
    expect(packedFiles).toContain('sim/simulator.mjs');
    // Nothing that does not run: no sources, tests, benches or fixtures.
    expect(
      packedFiles.filter(
        (f) =>
          !/^(dist\/(src|commands|views)\/.*\.js|schema\/.*\.json|demo\/celery_app\/\w+\.py|sim\/\w+\.(mjs|d\.mts)|README\.md|package\.json)$/.test(
            f,
          ),
      ),
    ).toEqual([]);
    expect(packedSize).toBeLessThan(1_000_000);
  });

  it('installs a qtop that starts and completes', async () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    const version = await run(bin, ['--version'], { env: userEnv });
    expect(version.stdout.trim()).toBe(pkg.version);
    const completion = await run(bin, ['completion', 'bash']);
    expect(completion.stdout).toContain('complete -F _qtop qtop');
  });

  it(
    'runs both demos from the installed package, read by the installed qtop --json',
    { timeout: 60_000 },
    async () => {
      const [real, simulated] = await Promise.all([startDemo([]), startDemo(['--simulated'])]);
      for (const demo of [real, simulated]) expect(demo.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+\/0$/);
      const [realSnap, simSnap] = await Promise.all([
        snapshotWithWorkers(real.url, 3),
        snapshotWithWorkers(simulated.url, 3),
      ]);
      for (const snap of [realSnap, simSnap]) expect(schemaErrors(snap)).toEqual([]);
      const hostnames = (snap: Record<string, unknown>) =>
        (snap.workers as Array<{ hostname: string }>).map((w) => w.hostname.split('@')[0]).sort();
      // The real demo's three Celery workers, and the simulator's own.
      expect(hostnames(realSnap)).toEqual(['alpha', 'bravo', 'charlie']);
      expect(hostnames(simSnap).every((h) => h?.startsWith('sim'))).toBe(true);
      expect(hostnames(simSnap)).toHaveLength(3);
      for (const demo of [real, simulated]) {
        const stopped = await stopDemo(demo);
        expect(stopped.stderr).toContain('stopped everything it started');
      }
    },
  );
});
