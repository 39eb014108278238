/**
 * `qtop` on a terminal: the live screen. Builds what the screen reads (store fed by an
 * interactive collector, which reconnects forever) and what it may do (`createControls` on a
 * connection of its own), then loads Ink only now, through a dynamic import of views/render.
 * Connection failures at start are one line and exit 3/4, like `--json`; a crash of the screen
 * is one line after the terminal is restored, exit 1.
 */
import type { Redis } from 'ioredis';
import { systemClock } from '../src/clock.js';
import { exitCodes } from '../src/exit-codes.js';
import type { QueueSearch } from '../src/queue-search-api.js';
import {
  ConnectError,
  connectRedis,
  exitCodeFor,
  maskSecrets,
  maskUrl,
  parseRedisUrl,
  type RedisTarget,
} from '../src/redis/index.js';
import { createCollector } from '../src/sources/collector.js';
import { searchQueue } from '../src/sources/queue-search.js';
import { selectWorkers } from '../src/store/select-workers.js';
import { createStore } from '../src/store/store.js';
import { type RunConfig, UsageError } from './config.js';
import { controlsFromStore, createControls, probeWriteAccess } from './controls.js';
import type { CliIo } from './io.js';

function target(url: string, what: string, masterName: string | undefined): RedisTarget {
  const parsed = parseRedisUrl(url, masterName ? { masterName } : {});
  if (!parsed.ok) throw new UsageError(`invalid ${what} URL ${maskUrl(url)}: ${parsed.reason}`);
  return parsed.value;
}

/** Resolves `promise`, or undefined after `ms`: shutdown must not hang on a stuck round. */
function bounded<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  const timeout = new Promise<undefined>((resolve) => {
    setTimeout(() => resolve(undefined), ms).unref();
  });
  return Promise.race([promise, timeout]);
}

/** Run the interactive screen until the operator leaves it. */
export async function runTui(config: RunConfig, io: CliIo): Promise<void> {
  const brokerTarget = target(config.brokerUrl, 'broker', config.masterName);
  const backendTarget = config.backendNote
    ? null
    : target(config.backendUrl, 'result backend', config.masterName);
  const secrets = [brokerTarget.password, backendTarget?.password];
  const clock = systemClock;
  // 100 ms batches; the screen's own frames (views/view-frame.ts) throttle further to 5/s.
  const store = createStore({ clock, config: config.model, notifyEveryMs: 100 });
  const knownWorkers = () =>
    selectWorkers(store.getModel(), clock.now())
      .filter((worker) => worker.state !== 'offline' && worker.state !== 'lost')
      .map((worker) => worker.hostname);
  const collector = createCollector(
    {
      broker: brokerTarget,
      backend: backendTarget,
      wire: config.wire,
      interactive: true,
      connectTimeoutMs: config.timeoutMs,
      peek: config.peek,
      maxValueChars: 64 * 1024,
      maxQueues: 10_000,
      maxUnacked: 1_000,
      cadence: config.cadence,
      resultsScanBudget: config.resultsScanBudget,
      inspectTimeoutMs: Math.min(config.timeoutMs, 2_000),
      knownWorkers,
    },
    store.dispatch,
    clock,
  );
  const clients: Redis[] = [];
  try {
    await collector.connect();
    const connect = { interactive: true, connectTimeoutMs: config.timeoutMs, name: 'qtop-control' };
    const broker = await connectRedis(brokerTarget, connect);
    clients.push(broker);
    let backend: Redis | null = null;
    if (backendTarget) {
      backend = config.backendUrl === config.brokerUrl ? broker : await connectRedis(backendTarget, connect);
      clients.push(backend);
    }
    // Fanout channel names carry the broker URL's db (wire doc 2).
    const wire = { ...config.wire, db: brokerTarget.db };
    const denied = config.readOnly ? null : await probeWriteAccess(broker, wire);
    const controls = createControls({
      broker,
      backend,
      wire,
      clock,
      readOnly: config.readOnly || denied !== null,
      readOnlyReason: config.readOnly
        ? 'read-only mode (--read-only): qtop writes nothing'
        : (denied ?? undefined),
      ...controlsFromStore(store, clock),
      timeoutMs: config.timeoutMs,
    });
    // The in-queue search reads (LLEN, LRANGE) on the control connection: pages are small and
    // control rounds wait for replies on a connection of their own.
    const search: QueueSearch = (queue, text, options) => searchQueue(broker, wire, queue, text, options);
    collector.start();
    // Ink renders only the last frame, at exit, when it believes it runs in CI (is-in-ci reads
    // CI and CONTINUOUS_INTEGRATION when Ink is first imported). stdout is a terminal here and
    // the operator asked for the screen, so those variables must not blank it.
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
    // React's development build (the default without NODE_ENV) checks every element at run
    // time; measured here it doubled the screen's CPU cost per frame.
    process.env.NODE_ENV ??= 'production';
    const { runScreen } = await import('../views/render.js');
    const end = await runScreen({
      store,
      clock,
      controls,
      searchQueue: search,
      broker: maskUrl(config.brokerUrl),
      label: config.label,
      hideArgs: config.hideArgs,
      env: io.env,
    });
    controls.close();
    if (end.error !== null) {
      io.stderr.write(`qtop: ${maskSecrets(end.error, secrets)}\n`);
      io.setExitCode(exitCodes.internal);
    }
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    io.stderr.write(`qtop: ${error.message}\n`);
    io.setExitCode(exitCodeFor(error.code));
  } finally {
    for (const client of new Set(clients)) client.disconnect();
    await bounded(collector.stop(), 2_000);
  }
}
