import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/base/clock.js';
import { defaultInferenceRule } from '../../src/beat/infer.js';
import { defaultWireOptions } from '../../src/celery/options.js';
import { createSubscriber } from '../../src/redis/index.js';
import { startEventStream } from '../../src/sources/event-stream.js';
import { selectBeat } from '../../src/store/select-beat.js';
import { createStore } from '../../src/store/store.js';
import { type Beat, startBeat } from '../helpers/celery-beat.js';
import { startWorker, type Worker } from '../helpers/celery-worker.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { celeryVersions, requireSharedSite } from '../helpers/shared-trees.js';
import { waitFor } from '../helpers/wait-for.js';

// Celery's default file-based beat keeps its schedule out of Redis; qtop infers it from the task
// events of its sends, within the rule's minimum of runs (8) and no fewer.
const site = requireSharedSite('redbeat'); // the beat launcher lives with the RedBeat tree's PYTHONPATH
if (!site) it('needs the RedBeat tree (not run)', () => expect(site).toBeNull());

const INTERVAL_SEC = 1;

describe.each(site ? celeryVersions() : [])('file-based beat on Celery %s', (celery) => {
  let server: RedisServer;
  let redis: Redis;
  let worker: Worker;
  let beat: Beat | undefined;

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url(0));
    worker = await startWorker({
      brokerUrl: server.url(0),
      name: `winf${celery.replace('.', '')}`,
      events: true,
      celery,
    });
  });

  afterAll(async () => {
    await beat?.stop();
    await worker?.stop();
    redis?.disconnect();
    await server?.stop();
  });

  it(`infers the interval within ${defaultInferenceRule.minRuns} runs`, async () => {
    const store = createStore({ clock: systemClock, notifyEveryMs: 0 });
    const sub = createSubscriber(redis);
    const events = await startEventStream(sub, { ...defaultWireOptions, db: 0 }, store.dispatch, systemClock);
    try {
      beat = await startBeat({
        brokerUrl: server.url(0),
        celery,
        scheduler: 'file',
        intervalSec: INTERVAL_SEC,
      });
      const arrivals = () => store.getModel().beat.arrivals.get('app.add')?.times.length ?? 0;
      const inferred = () =>
        selectBeat(store.getModel(), Date.now()).entries.find((e) => e.task === 'app.add');
      // One run short of the rule: no claim yet.
      await waitFor(() => arrivals() >= defaultInferenceRule.minRuns - 1, 20_000, '7 runs');
      if (arrivals() === defaultInferenceRule.minRuns - 1) expect(inferred()).toBeUndefined();
      await waitFor(() => inferred() !== undefined, 10_000, 'the inference');
      const row = inferred()!;
      const t = store.getModel().beat.arrivals.get('app.add')!.times;
      console.log(
        `Celery ${celery}: gaps ${t
          .slice(1)
          .map((v, i) => (v - t[i]!).toFixed(3))
          .join(' ')}`,
      );
      // Claimed on the 8th run; one more may arrive while the poll notices (a 1 s cadence, 50 ms polls).
      expect(arrivals()).toBeLessThanOrEqual(defaultInferenceRule.minRuns + 1);
      expect(row).toMatchObject({ source: 'inferred', task: 'app.add', enabled: null, late: false });
      expect(row.runCount).toBeGreaterThanOrEqual(defaultInferenceRule.minRuns);
      expect(row.periodSec).toBeGreaterThan(INTERVAL_SEC * 0.9);
      expect(row.periodSec).toBeLessThan(INTERVAL_SEC * 1.1);
      expect(row.schedule).toBe('~every 1s');
    } finally {
      await events.stop();
      sub.disconnect();
    }
  });
});
