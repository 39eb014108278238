import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../commands/config/config.js';
import { type RecordResult, runRecord } from '../../commands/record/record-run.js';
import { replayReason } from '../../commands/record/replay-controls.js';
import type { CliIo } from '../../commands/shared/io.js';
import { jsonLine } from '../../src/output/json-line.js';
import { loadRecording } from '../../src/record/reader.js';
import { type Snapshot, selectSnapshot } from '../../src/snapshot/select-snapshot.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { qtopBin, runQtop, spawnQtop } from '../helpers/qtop-cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';
import { pressIn } from '../views/tmux-keys.js';

// `qtop record` against a real Celery 5.2 worker on a password-protected redis-server, then the
// replay of that file: the JSON snapshot at the end equals what the recording store held, and the
// screen plays it with control actions refused. Needs `npm run build` first.
const password = 'rr-Pa55-w0rd';
let cluster: Cluster;
let dir: string;
let recorded: RecordResult;
let file: string;
const ids: { add: string; boom: string } = { add: '', boom: '' };

function captureIo(): CliIo & { err: () => string } {
  let err = '';
  const sink = (onText: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        onText(String(chunk));
        done();
      },
    });
  return {
    stdout: sink(() => {}),
    stderr: sink((text) => {
      err += text;
    }),
    env: {},
    setExitCode: () => {},
    err: () => err,
  };
}

beforeAll(async () => {
  cluster = await startCluster({
    redis: { password },
    workers: [{ name: 'w1', events: true, concurrency: 2, queues: ['celery'] }],
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-record-'));
  file = path.join(dir, 'incident.ndjson');
});

afterAll(async () => {
  await cluster?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The snapshot as `qtop --json` prints it (through jsonLine), so both sides compare as JSON. */
const asPrinted = (snapshot: Snapshot): Snapshot => JSON.parse(jsonLine(snapshot)) as Snapshot;

describe('qtop record and qtop --json --replay', () => {
  it('records a live run whose replay at the end is the snapshot the recording store held', async () => {
    const io = captureIo();
    const stop = new AbortController();
    const config = resolveConfig({ broker: cluster.brokerUrl }, {});
    const began = Date.now();
    const running = runRecord(config, io, {
      file,
      maxBytes: 50 * 1024 * 1024,
      durationMs: 60_000,
      force: false,
      signal: stop.signal,
    });
    const text = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
    await waitFor(() => text().includes('"queues/sampled"'), 15_000, 'the first queue sample in the file');
    await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 3 });
    [ids.add] = (await cluster.sendTasks('app.add', [2, 3])) as [string];
    [ids.boom] = (await cluster.sendTasks('app.boom', ['kaboom'])) as [string];
    await waitFor(
      () =>
        text().includes('"task-succeeded"') &&
        text().includes('"task-failed"') &&
        /"name":"parked","exchanges":\[[^\]]*\],"lengths":\{"0":3,/.test(text()),
      20_000,
      'the success, the failure and the parked backlog in the file',
    );
    // Long enough for the screen test below to pause and resume before the recording's end.
    await waitFor(() => Date.now() - began > 12_000, 15_000, '12 s of recording');
    stop.abort();
    recorded = (await running)!;
    expect(io.err()).toMatch(
      /^qtop: recording stopped, stopped: \d+ actions, [\d.]+ (B|KB|MB) over \d+s in .*incident\.ndjson\n$/,
    );
    expect(recorded.actions).toBeGreaterThan(10);

    const contents = text();
    expect(contents).not.toContain(password);
    expect(contents.endsWith('\n')).toBe(true);
    const recording = await loadRecording([contents]);
    expect(recording.header.broker).toBe(`redis://:***@127.0.0.1:${cluster.redis.port}/0`);
    expect(recording.actions.length).toBe(recorded.actions);
    expect(recording.truncated).toBe(false);

    const run = await runQtop(['--json', '--replay', file, '--at', 'end']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const replayed = JSON.parse(run.stdout) as Snapshot;
    expect(schemaErrors(replayed)).toEqual([]);
    expect(replayed.meta.replay).toMatchObject({ file, actionsApplied: recorded.actions, truncated: false });
    expect(replayed.meta.readOnly).toBe(true);
    expect(replayed.meta.broker).not.toContain(password);

    // The recording store at the same moment, through the same selectors: equal apart from run meta.
    const at = Date.parse(replayed.meta.generatedAt);
    const meta = { ...replayed.meta, taskLimit: 500 };
    const live = asPrinted(
      selectSnapshot(recorded.store.getModel(), at, meta, { visibilityTimeoutSec: 3600 }),
    );
    const { meta: replayMeta, ...replayRest } = replayed;
    const { meta: liveMeta, ...liveRest } = live;
    expect(replayRest).toEqual(liveRest);
    expect(replayMeta.counters).toEqual(liveMeta.counters);
    expect(replayMeta.sources).toEqual(liveMeta.sources);
    expect(replayMeta.events).toEqual(liveMeta.events);

    // And what it shows is the cluster: the backlog, the worker, both tasks with their outcome.
    expect(replayed.queues.find((q) => q.name === 'parked')?.total).toBe(3);
    expect(replayed.workers.map((w) => [w.hostname, w.state])).toEqual([
      [cluster.workers[0]!.hostname, 'online'],
    ]);
    const state = (id: string) => replayed.tasks.rows.find((t) => t.id === id)?.state;
    expect(state(ids.add)).toBe('SUCCESS');
    expect(state(ids.boom)).toBe('FAILURE');
    expect(replayed.totals.workersUp).toBe(1);
    expect(replayed.failures.find((f) => f.exampleId === ids.boom)?.exampleException).toBe(
      "ValueError('kaboom')",
    );
  });

  it('replays an earlier moment: before the tasks were sent they are not there', async () => {
    const run = await runQtop(['--json', '--replay', file, '--at', '+0s']);
    expect(run.code).toBe(0);
    const early = JSON.parse(run.stdout) as Snapshot;
    expect(schemaErrors(early)).toEqual([]);
    expect(early.tasks.rows.some((t) => t.id === ids.boom)).toBe(false);
    expect(early.meta.replay?.atSec).toBe(0);
  });

  it('stops at --duration and --max-size with one line on stderr and exit 0, and on SIGINT with a whole last line', async () => {
    const timed = path.join(dir, 'timed.ndjson');
    const byTime = await runQtop(['record', timed, '-b', cluster.brokerUrl, '--duration', '3s']);
    expect(byTime.code).toBe(0);
    expect(byTime.stderr).toMatch(
      /^qtop: recording stopped, --duration 3s reached: \d+ actions, .* in .*timed\.ndjson\n$/,
    );
    expect((await loadRecording([fs.readFileSync(timed, 'utf8')])).truncated).toBe(false);

    const small = path.join(dir, 'small.ndjson');
    const bySize = await runQtop([
      'record',
      small,
      '-b',
      cluster.brokerUrl,
      '--max-size',
      '8KB',
      '--duration',
      '60s',
    ]);
    expect(bySize.code).toBe(0);
    expect(bySize.stderr).toMatch(/^qtop: recording stopped, --max-size 8\.0 KB reached: \d+ actions/);
    expect(fs.statSync(small).size).toBeLessThanOrEqual(8 * 1024);
    expect(fs.readFileSync(small, 'utf8').endsWith('\n')).toBe(true);

    const signalled = path.join(dir, 'signalled.ndjson');
    const recorder = spawnQtop(['record', signalled, '-b', cluster.brokerUrl]);
    await waitFor(
      () => fs.existsSync(signalled) && fs.readFileSync(signalled, 'utf8').split('\n').length > 3,
      15_000,
      'a few recorded lines',
    );
    expect(await recorder.stop('SIGINT')).toBe(0);
    expect(recorder.stderr()).toMatch(/^qtop: recording stopped, interrupted \(SIGINT\): \d+ actions/);
    const whole = fs.readFileSync(signalled, 'utf8');
    expect(whole.endsWith('\n')).toBe(true);
    expect((await loadRecording([whole])).truncated).toBe(false);
  });

  it('never overwrites a recording, leaves no file when it cannot connect, and stops on a full disk', async () => {
    const again = await runQtop(['record', file, '-b', cluster.brokerUrl, '--duration', '1s']);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      `qtop: ${file} exists: a recording is never overwritten unless you add --force\n`,
    );
    const nowhere = path.join(dir, 'nowhere.ndjson');
    const refused = await runQtop(['record', nowhere, '-b', 'redis://127.0.0.1:1/0', '--timeout', '1']);
    expect(refused.code).toBe(3);
    expect(refused.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(fs.existsSync(nowhere)).toBe(false);
    // A disk that fills up ends the recording with one line and exit 1 (/dev/full: every write is ENOSPC).
    const full = await runQtop([
      'record',
      '/dev/full',
      '--force',
      '-b',
      cluster.brokerUrl,
      '--duration',
      '20s',
    ]);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/^qtop: recording stopped, cannot write \/dev\/full: ENOSPC: \d+ actions/);
    expect(full.ms).toBeLessThan(10_000);
  });

  it('names the file and line of a broken recording', async () => {
    const broken = path.join(dir, 'broken.ndjson');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[4] = '{"type": "queues/sampled", "at": ';
    fs.writeFileSync(broken, lines.join('\n'));
    const run = await runQtop(['--json', '--replay', broken]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^qtop: ${broken.replaceAll('.', '\\.')}: line 5: not JSON`));
  });
});

describe('qtop replay in a terminal', () => {
  let tmux: TmuxSession;
  afterAll(async () => tmux?.kill());

  it('shows REPLAY, the recorded queue and worker, pauses, and refuses a control key with the reason', async () => {
    tmux = await startTmux({
      command: ['bash', '-c', `node ${qtopBin} replay ${file}; echo EXITED:$?; sleep 30`],
      cols: 120,
      rows: 30,
    });
    const press = (id: string) => pressIn(tmux, id);
    await tmux.waitForText(/REPLAY {2}\d\d:\d\d:\d\d \+\d+s\/\d+s ▶ 1x/, 15_000);
    await tmux.waitForText(/parked\s+3\s/, 15_000);
    await press('replay.pause');
    const paused = await tmux.waitForText('⏸ paused', 5_000);
    const header = paused.split('\n')[0];
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await tmux.capture()).split('\n')[0]).toBe(header);
    await press('panel.workers');
    await tmux.waitForText(
      new RegExp(`${cluster.workers[0]!.hostname.replaceAll('.', '\\.')}\\s+● online`),
      10_000,
    );
    await press('replay.pause');
    await tmux.waitForText(/▶ 1x/, 5_000);
    await press('panel.tasks');
    await tmux.waitForText(/✗ FAILURE\s+app\.boom/, 20_000);
    await press('task.revoke');
    await tmux.waitForText(`revoke: ${replayReason}`, 5_000);
    await press('app.quit');
    await tmux.waitForText('EXITED:0', 10_000);
  });
});
