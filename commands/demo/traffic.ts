/**
 * The demo's producer: keeps sending a realistic mix of the test app's tasks for as long as the
 * demo runs. Written in Node with qtop's own encoder (src/celery/task-encode) rather than a
 * Python script, so no further interpreter runs; the messages are byte-shape what Celery 5.2
 * writes (wire doc 5.2), and real workers run them.
 */
import { Redis } from 'ioredis';
import { defaultWireOptions } from '../../src/celery/options.js';
import { encodeTaskMessage, type TaskSpec } from '../../src/celery/task-encode.js';
import type { Json } from '../../src/celery/types.js';

/** The queue nobody consumes: its backlog and oldest age grow until the cap below. */
export const PARKED_QUEUE = 'parked';

/** Most messages left waiting in `reports` and `parked`, so a demo left open for hours stays small. */
const BACKLOG_CAP = { reports: 200, [PARKED_QUEUE]: 40 } as const;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const between = (lo: number, hi: number) => Math.round((lo + Math.random() * (hi - lo)) * 10) / 10;

/** ISO 8601 as Python's isoformat writes it (`+00:00`, not `Z`), which the encoder requires. */
function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

/** One task of the `celery` queue's mix: mostly fast, some slow, failing, retrying or urgent. */
function celeryTask(): TaskSpec {
  const roll = Math.random();
  const base = { queue: 'celery', kwargs: {} };
  if (roll < 0.4) {
    const urgent = Math.random() < 0.25;
    const args: Json[] = [Math.floor(Math.random() * 100), Math.floor(Math.random() * 100)];
    return { ...base, name: 'app.add', args, ...(urgent ? { priority: pick([3, 6, 9]) } : {}) };
  }
  if (roll < 0.55) return { ...base, name: 'app.sleepy', args: [between(0.5, 4)] };
  if (roll < 0.65) {
    const user = pick(['ada', 'grace', 'linus', 'barbara']);
    return { ...base, name: 'app.echo', args: [user], kwargs: { action: pick(['login', 'export', 'sync']) } };
  }
  if (roll < 0.75) {
    const why = pick(['card declined', 'upstream timeout', 'invalid invoice id', 'quota exceeded']);
    return { ...base, name: 'app.boom', args: [why] };
  }
  if (roll < 0.85) return { ...base, name: 'app.flaky', args: [pick([1, 2, 3])] };
  if (roll < 0.9) return { ...base, name: 'app.slow_fail', args: [between(1, 3)] };
  return { ...base, name: 'app.add', args: [1, 1], priority: 9 };
}

/** The running producer. */
export interface DemoTraffic {
  /** Messages published so far. */
  sent(): number;
  /** Stop sending and close the connection. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Start publishing to `brokerUrl` every 500 ms: about 4 tasks/s on `celery`, 1/s on `mail`,
 * 2/s of 1.5 s reports for one slot (a backlog that builds up to its cap), now and then a task on
 * the unconsumed `parked` queue, and every 10 s one with an ETA 20-40 s ahead.
 */
export async function startDemoTraffic(brokerUrl: string): Promise<DemoTraffic> {
  const redis = new Redis(brokerUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {}); // a failed tick is skipped; the demo's Redis does not go away
  await redis.connect();
  const wire = defaultWireOptions;
  let count = 0;
  let tick = 0;
  let busy = false;

  const publish = async () => {
    tick++;
    const [reportsReady, parkedReady] = await Promise.all([redis.llen('reports'), redis.llen(PARKED_QUEUE)]);
    const specs: TaskSpec[] = [celeryTask(), celeryTask()];
    if (tick % 2 === 0) {
      const to = `${pick(['ops', 'billing', 'support'])}@example.com`;
      specs.push({ name: 'app.echo', args: [to], kwargs: { subject: 'weekly digest' }, queue: 'mail' });
    }
    if (reportsReady < BACKLOG_CAP.reports)
      specs.push({ name: 'app.sleepy', args: [1.5], kwargs: {}, queue: 'reports' });
    if (tick % 4 === 0 && parkedReady < BACKLOG_CAP[PARKED_QUEUE]) {
      specs.push({ name: 'app.add', args: [tick, 0], kwargs: {}, queue: PARKED_QUEUE });
    }
    if (tick % 20 === 1) {
      const eta = isoUtc(Date.now() + between(20, 40) * 1000);
      specs.push({ name: 'app.add', args: [40, 2], kwargs: {}, queue: 'celery', eta });
    }
    const pipe = redis.pipeline();
    for (const spec of specs) {
      const encoded = encodeTaskMessage({ ...spec, origin: 'qtop-demo' }, wire);
      if (!encoded.ok) continue; // cannot happen with the specs above; never send a poison message
      // The binding first, as kombu does, so the queue is discoverable before its first message.
      pipe.sadd(encoded.value.bindingKey, encoded.value.bindingMember);
      pipe.lpush(encoded.value.listKey, encoded.value.raw);
      count++;
    }
    await pipe.exec();
  };

  const timer = setInterval(() => {
    if (busy) return; // a slow tick is skipped rather than queued behind itself
    busy = true;
    publish()
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, 500);
  let stopping: Promise<void> | undefined;
  return {
    sent: () => count,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        redis.disconnect();
      })();
      return stopping;
    },
  };
}
