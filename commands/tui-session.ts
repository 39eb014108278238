/**
 * One cluster on the live screen: the store fed by an interactive collector (which reconnects
 * forever) and the controls on a connection of their own. The screen opens one at start and
 * another on each `:ctx` switch, so opening is all-or-nothing: a failure closes whatever it had
 * opened before it throws, and `close` leaves no connection or timer behind.
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../src/clock.js';
import type { QueueSearch } from '../src/queue-search-api.js';
import { connectRedis, maskUrl, parseRedisUrl, type RedisTarget } from '../src/redis/index.js';
import { createCollector } from '../src/sources/collector.js';
import { searchQueue } from '../src/sources/queue-search.js';
import { selectWorkers } from '../src/store/select-workers.js';
import { createStore } from '../src/store/store.js';
import type { ScreenSession } from '../views/context-switch.js';
import { type RunConfig, UsageError } from './config.js';
import { type ControlsHandle, controlsFromStore, createControls, probeWriteAccess } from './controls.js';

/** A connected cluster: what the screen shows, plus what only its owner may do. */
export interface TuiSession extends ScreenSession {
  /** Passwords of its URLs, to scrub from any message about it. */
  secrets: (string | undefined)[];
  /** Start sampling (the collector is connected but idle until then). */
  start(): void;
  /** Stop the collector and close every connection; safe to call twice. */
  close(): Promise<void>;
}

function target(url: string, what: string, masterName: string | undefined): RedisTarget {
  const parsed = parseRedisUrl(url, masterName ? { masterName } : {});
  if (!parsed.ok) throw new UsageError(`invalid ${what} URL ${maskUrl(url)}: ${parsed.reason}`);
  return parsed.value;
}

/** Passwords in `config`'s URLs (a bad URL has none to hide: its error is masked by maskUrl). */
export function secretsOf(config: RunConfig): (string | undefined)[] {
  return [config.brokerUrl, config.backendUrl].map((url) => {
    const parsed = parseRedisUrl(url, config.masterName ? { masterName: config.masterName } : {});
    return parsed.ok ? parsed.value.password : undefined;
  });
}

/** Resolves `promise`, or undefined after `ms`: shutdown must not hang on a stuck round. */
function bounded<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  const timeout = new Promise<undefined>((resolve) => {
    setTimeout(() => resolve(undefined), ms).unref();
  });
  return Promise.race([promise, timeout]);
}

/**
 * Connect the collector, then the controls (probing write access), for `config`. Throws
 * ConnectError (unreachable, auth) or UsageError (bad URL) with nothing left open.
 */
export async function openSession(
  config: RunConfig,
  clock: Clock,
  context: string | null,
): Promise<TuiSession> {
  const brokerTarget = target(config.brokerUrl, 'broker', config.masterName);
  const backendTarget = config.backendNote
    ? null
    : target(config.backendUrl, 'result backend', config.masterName);
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
  let controls: ControlsHandle | null = null;
  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= (async () => {
      controls?.close();
      for (const client of new Set(clients)) client.disconnect();
      await bounded(collector.stop(), 2_000);
      store.flush(); // drops the store's pending notification timer
    })();
    return closed;
  };
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
    controls = createControls({
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
    return {
      store,
      controls,
      searchQueue: search,
      broker: maskUrl(config.brokerUrl),
      label: config.label,
      context,
      hideArgs: config.hideArgs,
      secrets: [brokerTarget.password, backendTarget?.password],
      start: () => collector.start(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
