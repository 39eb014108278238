#!/usr/bin/env node
// A wire-level Celery 5.2 cluster simulator (see sim/cluster.mjs for what it writes): N
// workers publishing events and answering pidbox requests, a producer filling queues with real
// task messages. Stops by itself after --duration and cleans up after itself.
//
//   node bench/simulator.mjs --workers 50 --queues 20 --rate 200 --duration 60
//   node bench/simulator.mjs --broker redis://127.0.0.1:6390/0 --workers 1000 --queues 5000
//
// Without --broker it starts a private redis-server on a free port and prints its URL, so
// `CELERY_BROKER_URL=<url> node dist/commands/main.js --json` can watch it. Programmatic use:
//   import { startSimulator } from './bench/simulator.mjs';
//   const sim = await startSimulator({ workers: 20, duration: Infinity }); ...; await sim.stop();
import { parseArgs } from 'node:util';
import { simulatorDefaults, startSimulator } from './cluster.mjs';

export { simulatorDefaults, startSimulator };

const usage = `usage: node bench/simulator.mjs [options]
  --broker URL          Redis broker (default: a private redis-server on a free port)
  --workers N           simulated workers, 1..1000 (default ${simulatorDefaults.workers})
  --concurrency N       pool slots per worker (default ${simulatorDefaults.concurrency})
  --queues N            queues, 1..5000; the first is 'celery' (default ${simulatorDefaults.queues})
  --idle-queues N       the last N queues have no consumer (default 0)
  --task-names N|LIST   how many task names, or a comma list (default ${simulatorDefaults.taskNames})
  --rate R              task arrivals per second (default ${simulatorDefaults.rate})
  --runtime DIST        lognormal:MEAN:SIGMA | exp:MEAN | fixed:S | uniform:LO:HI (default ${simulatorDefaults.runtime})
  --failure-rate F      share of runs that raise, 0..1 (default ${simulatorDefaults.failureRate}); some retry
  --event-rate E        most task events per second (the producer slows down; default no cap)
  --duration S          seconds until it stops by itself (default ${simulatorDefaults.duration})
  --results             also write result meta (SETEX + PUBLISH) like a Redis result backend
  --keep                leave queues and messages behind when stopping (default: clean up)
  --keyprefix P         kombu global_keyprefix
  --seed N              random seed (default 1)
  --quiet               print only the start line and the final stats`;

function number(name, value, { min = 0, integer = false } = {}) {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    console.error(`simulator: --${name} must be ${integer ? 'a whole number' : 'a number'} >= ${min}`);
    process.exit(2);
  }
  return n;
}

export async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        broker: { type: 'string' },
        workers: { type: 'string' },
        concurrency: { type: 'string' },
        queues: { type: 'string' },
        'idle-queues': { type: 'string' },
        'task-names': { type: 'string' },
        rate: { type: 'string' },
        runtime: { type: 'string' },
        'failure-rate': { type: 'string' },
        'event-rate': { type: 'string' },
        duration: { type: 'string' },
        results: { type: 'boolean' },
        keep: { type: 'boolean' },
        keyprefix: { type: 'string' },
        seed: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`simulator: ${error.message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const opts = {};
  if (values.broker) opts.broker = values.broker;
  if (values.workers) opts.workers = number('workers', values.workers, { min: 1, integer: true });
  if (values.concurrency)
    opts.concurrency = number('concurrency', values.concurrency, { min: 1, integer: true });
  if (values.queues) opts.queues = number('queues', values.queues, { min: 1, integer: true });
  if (values['idle-queues'])
    opts.idleQueues = number('idle-queues', values['idle-queues'], { integer: true });
  if (values['task-names']) opts.taskNames = values['task-names'];
  if (values.rate) opts.rate = number('rate', values.rate);
  if (values.runtime) opts.runtime = values.runtime;
  if (values['failure-rate']) opts.failureRate = number('failure-rate', values['failure-rate']);
  if (values['event-rate']) opts.eventRate = number('event-rate', values['event-rate'], { min: 3 });
  if (values.duration) opts.duration = number('duration', values.duration);
  if (values.keyprefix) opts.keyprefix = values.keyprefix;
  if (values.seed) opts.seed = number('seed', values.seed, { integer: true });
  opts.results = values.results === true;
  opts.clean = values.keep !== true;
  opts.onError = (error) => console.error(`simulator: ${error.message}`);

  const sim = await startSimulator(opts);
  console.log(
    `simulator: ${sim.workers.length} workers, ${sim.queues.length} queues on ${sim.broker} ` +
      `for ${sim.options.duration} s (Ctrl-C stops it)`,
  );
  const stop = () => void sim.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const line = (s) =>
    `t=${s.elapsedSec.toFixed(0)}s sent=${s.tasksSent} received=${s.received} succeeded=${s.succeeded} ` +
    `failed=${s.failed} retried=${s.retried} backlog=${s.backlog} reserved=${s.reserved} active=${s.active} ` +
    `taskEvents=${s.taskEvents} eventMessages=${s.eventMessages} pidbox=${s.pidboxRequests}/${s.pidboxReplies}` +
    (s.throttled ? ` throttled=${s.throttled}` : '') +
    (s.errors ? ` errors=${s.errors}` : '');
  const progress = values.quiet ? null : setInterval(() => console.log(line(sim.stats())), 5_000);
  await sim.done;
  if (progress) clearInterval(progress);
  console.log(`simulator: stopped. ${line(sim.stats())}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`simulator: ${error.stack ?? error}`);
    process.exit(1);
  });
}
