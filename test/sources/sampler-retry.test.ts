import { describe, expect, it } from 'vitest';
import { createSampler, describeError, type SamplerJob } from '../../src/sources/sampler.js';
import type { Action } from '../../src/store/actions.js';
import { createFakeClock } from '../helpers/fake-clock.js';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A job that fails while `down()` says so, recording the clock offset of every run. */
function flakyJob(source: 'queues' | 'inspect', down: () => boolean, start: number, now: () => number) {
  const runs: number[] = [];
  const job: SamplerJob = {
    source,
    everyMs: 1_000,
    async run(at) {
      runs.push(at - start);
      if (down()) throw new Error('Connection is closed.');
      return { type: 'pidbox/sampled', at: now(), nodes: [] } satisfies Action;
    },
  };
  return { job, runs };
}

describe('createSampler: retryFailing', () => {
  it('runs the failing jobs at once when the connection is back, leaving healthy ones on their grid', async () => {
    const clock = createFakeClock();
    const start = clock.now();
    let down = true;
    const failing = flakyJob('queues', () => down, start, clock.now);
    const healthy = flakyJob('inspect', () => false, start, clock.now);
    const actions: Action[] = [];
    const sampler = createSampler({
      clock,
      onAction: (a) => actions.push(a),
      jobs: [failing.job, healthy.job],
    });
    sampler.start();
    for (let i = 0; i < 80; i++) {
      clock.advance(100);
      await flush();
    }
    // Backing off 1 s, 2 s, 4 s: four runs by 8 s, the next not before about 15 s.
    expect(failing.runs).toHaveLength(4);
    expect(failing.runs.at(-1)).toBeGreaterThan(7_000);
    const healthyRuns = healthy.runs.length;
    down = false;
    sampler.retryFailing();
    clock.advance(0);
    await flush();
    expect(failing.runs).toHaveLength(5);
    expect(failing.runs.at(-1)).toBe(8_000);
    expect(healthy.runs).toHaveLength(healthyRuns); // on its own grid, untouched by the retry
    expect(actions.filter((a) => a.type === 'source/recovered')).toEqual([
      { type: 'source/recovered', at: start + 8_000, source: 'queues' },
    ]);
    await sampler.stop();
    sampler.retryFailing(); // stopped: nothing is scheduled
    expect(clock.pending()).toBe(0);
  });

  it('describes a dropped connection mid-session without the connect-time hints', () => {
    const target = { kind: 'tcp', host: 'r', port: 6380, db: 0, password: 'pw' } as const;
    const closed = describeError(new Error('Connection is closed.'), target);
    expect(closed).toBe(
      'not connected to Redis at redis://:***@r:6380/0: the connection dropped, reconnecting',
    );
    expect(
      describeError(new Error("Stream isn't writeable and enableOfflineQueue options is false"), target),
    ).toBe(closed);
  });
});
