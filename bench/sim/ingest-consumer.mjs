// qtop's event pipeline, alone in a process, for the ingest and memory benchmarks: the same code
// `qtop` runs (connectRedis -> createSubscriber -> startEventStream -> store.dispatch with the
// default model caps), and nothing else: no queue sampling, no inspect, no rendering. Every 200 ms
// it prints one JSON status line with the store's counters, so the benchmark reads what qtop
// itself counted. Usage: node bench/sim/ingest-consumer.mjs <broker-url>

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { systemClock } from '../../dist/src/base/clock.js';
import { wireOptions } from '../../dist/src/celery/options.js';
import { connectRedis, createSubscriber, parseRedisUrl } from '../../dist/src/redis/index.js';
import { startEventStream } from '../../dist/src/sources/event-stream.js';
import { createStore } from '../../dist/src/store/store.js';

const url = process.argv[2];
const parsed = parseRedisUrl(url ?? '');
if (!parsed.ok) {
  console.error(`ingest-consumer: bad broker URL: ${parsed.reason ?? url}`);
  process.exit(2);
}
const store = createStore({ clock: systemClock });
const client = await connectRedis(parsed.value, { interactive: true, name: 'qtop-bench' });
const subscriber = createSubscriber(client);
const stream = await startEventStream(
  subscriber,
  wireOptions({ db: parsed.value.db }),
  store.dispatch,
  systemClock,
);

// The longest event-loop stall in each 200 ms interval (GC, long tasks, or the OS not running us):
// at 60 MB/s, Redis's 32 MB pub/sub limit leaves about half a second of slack.
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

function status() {
  const model = store.getModel();
  const { counters } = model;
  const health = model.sources.events;
  return JSON.stringify({
    events: counters.events,
    eventMessages: counters.eventMessages,
    malformed: counters.eventsMalformed,
    tasks: model.tasks.size,
    evicted: counters.tasksEvicted,
    gaps: health.gaps.length,
    eventsOk: health.ok,
    lastError: health.lastError,
    stallMs: Math.round(delay.max / 1e6),
  });
}

const timer = setInterval(() => {
  process.stdout.write(`${status()}\n`);
  delay.reset();
}, 200);
const stop = async () => {
  clearInterval(timer);
  await stream.stop();
  subscriber.disconnect();
  client.disconnect();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdout.write(`${status()}\n`);
