import { describe, expect, it } from 'vitest';
import type { RedisTarget } from '../../src/redis/index.js';
import { createSampler, describeError, type SamplerJob } from '../../src/sources/sampler.js';
import type { Action } from '../../src/store/actions.js';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.js';

/** Let resolved promises run (the sampler's continuations) without moving the fake clock. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A job that records the `at` of every call and how many of its runs overlapped at most. */
function recordingJob(clock: FakeClock, body: (call: number) => Promise<Action | null>, everyMs = 1000) {
  const calls: number[] = [];
  let running = 0;
  let maxRunning = 0;
  const job: SamplerJob = {
    source: 'queues',
    everyMs,
    async run(at) {
      calls.push(at - start);
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        return await body(calls.length);
      } finally {
        running--;
      }
    },
  };
  const start = clock.now();
  return { job, calls, maxRunning: () => maxRunning };
}

/**
 * Move the clock in steps of at most 100 ms, letting runs settle after each, so a run that finishes
 * is rescheduled from the time it finished (the fake clock would otherwise jump past it).
 */
async function advance(clock: FakeClock, ms: number) {
  for (let left = ms; ; ) {
    const step = Math.min(left, 100);
    clock.advance(step);
    await flush();
    left -= step;
    if (left <= 0) return;
  }
}

const pidboxAction = (at: number): Action => ({ type: 'pidbox/sampled', at, nodes: [] });

describe('createSampler', () => {
  it('runs a job at once on start and then every everyMs', async () => {
    const clock = createFakeClock();
    const actions: Action[] = [];
    const rec = recordingJob(clock, async () => pidboxAction(clock.now()));
    const sampler = createSampler({ clock, onAction: (a) => actions.push(a), jobs: [rec.job] });
    sampler.start();
    await advance(clock, 0);
    await advance(clock, 999);
    expect(rec.calls).toEqual([0]);
    await advance(clock, 1);
    await advance(clock, 1000);
    expect(rec.calls).toEqual([0, 1000, 2000]);
    expect(actions.map((a) => a.type)).toEqual(['pidbox/sampled', 'pidbox/sampled', 'pidbox/sampled']);
    await sampler.stop();
    expect(clock.pending()).toBe(0);
  });

  it('never overlaps a run that takes longer than everyMs, and skips the ticks it missed', async () => {
    const clock = createFakeClock();
    const slow = deferred();
    const rec = recordingJob(clock, async (call) => {
      if (call === 1) await slow.promise;
      return null;
    });
    const sampler = createSampler({ clock, onAction: () => {}, jobs: [rec.job] });
    sampler.start();
    await advance(clock, 0);
    await advance(clock, 2500);
    expect(rec.calls).toEqual([0]);
    slow.resolve();
    await flush();
    await advance(clock, 499);
    expect(rec.calls).toEqual([0]);
    await advance(clock, 1); // next grid tick after the 2.5 s run: 3000, not 1000 or 2000 late
    expect(rec.calls).toEqual([0, 3000]);
    expect(rec.maxRunning()).toBe(1);
    await sampler.stop();
  });

  it('backs off exponentially up to the cap, then reports recovery once', async () => {
    const clock = createFakeClock();
    const actions: Action[] = [];
    let failing = true;
    const rec = recordingJob(clock, async () => {
      if (failing) throw new Error("READONLY You can't write against a read only replica.\nsecond line");
      return pidboxAction(clock.now());
    });
    const sampler = createSampler({
      clock,
      onAction: (a) => actions.push(a),
      jobs: [rec.job],
      maxBackoffMs: 5000,
    });
    sampler.start();
    await advance(clock, 0);
    await advance(clock, 17_000);
    // Waits after failures 1..6: 1000, 2000, 4000, then the 5000 cap.
    expect(rec.calls.slice(0, 6)).toEqual([0, 1000, 3000, 7000, 12000, 17000]);
    const failed = actions.filter((a) => a.type === 'source/failed');
    expect(failed).toHaveLength(rec.calls.length);
    expect(failed[0]).toMatchObject({
      source: 'queues',
      reason: expect.stringMatching(/^READONLY .* second line$/),
    });
    expect(sampler.stats()[0]).toMatchObject({ failing: rec.calls.length, failures: rec.calls.length });

    failing = false;
    actions.length = 0;
    await advance(clock, 5000);
    await advance(clock, 1000);
    expect(actions.map((a) => a.type)).toEqual(['source/recovered', 'pidbox/sampled', 'pidbox/sampled']);
    expect(sampler.stats()[0]?.failing).toBe(0);
    // Back to the normal cadence after recovery.
    const n = rec.calls.length;
    expect(rec.calls[n - 1]! - rec.calls[n - 2]!).toBe(1000);
    await sampler.stop();
  });

  it('never reports recovery without a failure before it', async () => {
    const clock = createFakeClock();
    const actions: Action[] = [];
    const rec = recordingJob(clock, async () => null);
    const sampler = createSampler({ clock, onAction: (a) => actions.push(a), jobs: [rec.job] });
    sampler.start();
    for (let i = 0; i < 3; i++) await advance(clock, 1000);
    expect(rec.calls.length).toBeGreaterThanOrEqual(3);
    expect(actions).toEqual([]);
    await sampler.stop();
  });

  it('runOnce runs every job (or one source) once and resolves when all are done', async () => {
    const clock = createFakeClock();
    const actions: Action[] = [];
    const gate = deferred();
    const jobs: SamplerJob[] = [
      { source: 'queues', everyMs: 1000, run: async (at) => pidboxAction(at) },
      {
        source: 'inspect',
        everyMs: 5000,
        run: async (at) => {
          await gate.promise;
          return [pidboxAction(at), pidboxAction(at + 1)];
        },
      },
      { source: 'results', everyMs: 1000, run: async () => Promise.reject(new Error('no backend')) },
    ];
    const sampler = createSampler({ clock, onAction: (a) => actions.push(a), jobs });
    let done = false;
    const once = sampler.runOnce().then(() => {
      done = true;
    });
    await flush();
    expect(done).toBe(false); // the inspect job is still running
    gate.resolve();
    await once;
    expect(actions.filter((a) => a.type === 'pidbox/sampled')).toHaveLength(3);
    expect(actions).toContainEqual(
      expect.objectContaining({ type: 'source/failed', source: 'results', reason: 'no backend' }),
    );
    expect(clock.pending()).toBe(0); // not started: nothing scheduled afterwards

    actions.length = 0;
    await sampler.runOnce('queues');
    expect(actions.map((a) => a.type)).toEqual(['pidbox/sampled']);
    expect(sampler.stats().map((s) => [s.name, s.runs, s.failures])).toEqual([
      ['queues', 2, 0],
      ['inspect', 1, 0],
      ['results', 1, 1],
    ]);
  });

  it('runOnce waits for an in-flight run instead of overlapping it', async () => {
    const clock = createFakeClock();
    const gate = deferred();
    const rec = recordingJob(clock, async (call) => {
      if (call === 1) await gate.promise;
      return null;
    });
    const sampler = createSampler({ clock, onAction: () => {}, jobs: [rec.job] });
    sampler.start();
    await advance(clock, 0);
    const once = sampler.runOnce();
    await flush();
    expect(rec.calls).toHaveLength(1);
    gate.resolve();
    await once;
    expect(rec.calls).toHaveLength(2);
    expect(rec.maxRunning()).toBe(1);
    await sampler.stop();
  });

  it('stop aborts the run signal, awaits the in-flight run and schedules nothing more', async () => {
    const clock = createFakeClock();
    const gate = deferred();
    let signal: AbortSignal | undefined;
    const sampler = createSampler({
      clock,
      onAction: () => {},
      jobs: [
        {
          source: 'inspect',
          everyMs: 1000,
          run: async (_at, s) => {
            signal = s;
            await gate.promise;
            return null;
          },
        },
      ],
    });
    sampler.start();
    await advance(clock, 50);
    let stopped = false;
    const stopping = sampler.stop().then(() => {
      stopped = true;
    });
    await flush();
    expect(signal?.aborted).toBe(true);
    expect(stopped).toBe(false);
    clock.advance(10);
    gate.resolve();
    await stopping;
    expect(stopped).toBe(true);
    expect(clock.pending()).toBe(0);
    expect(sampler.stats()[0]).toMatchObject({ runs: 1, lastDurationMs: 60 }); // started at 0, ended at 60

    // A run that gives up because of the abort is not reported as a failure of its source.
    const actions: Action[] = [];
    const aborting = createSampler({
      clock,
      onAction: (a) => actions.push(a),
      jobs: [
        {
          source: 'inspect',
          everyMs: 1000,
          run: (_at, s) =>
            new Promise((_resolve, reject) => s.addEventListener('abort', () => reject(s.reason))),
        },
      ],
    });
    aborting.start();
    await advance(clock, 0);
    await aborting.stop();
    expect(actions).toEqual([]);
    expect(aborting.stats()[0]).toMatchObject({ runs: 1, failures: 0 });
  });
});

describe('describeError', () => {
  const target: RedisTarget = { kind: 'tcp', host: 'redis.example', port: 6380, db: 2, password: 's3cret' };

  it('classifies Redis errors against the target with the password masked', () => {
    const error = Object.assign(
      new Error("NOPERM this user has no permissions to run the 'lrange' command"),
      {
        name: 'ReplyError',
      },
    );
    const reason = describeError(error, target);
    expect(reason).toMatch(/lacks a permission/);
    expect(reason).toContain('redis.example:6380');
    expect(reason).not.toContain('s3cret');
  });

  it('flattens other errors to one line and scrubs secrets', () => {
    const reason = describeError(new Error('bad\n  url redis://:s3cret@h:1/0 and s3cret'), target);
    expect(reason).toBe('bad url redis://:***@h:1/0 and ***');
    expect(describeError('plain')).toBe('plain');
  });
});
