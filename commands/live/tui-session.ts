/**
 * One cluster on the live screen: the store fed by an interactive collector (which reconnects
 * forever) and the controls on a connection of their own. The screen opens one at start and
 * another on each `:ctx` switch, so opening is all-or-nothing: a failure closes whatever it had
 * opened before it throws, and `close` leaves no connection or timer behind.
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../../src/base/clock.js';
import { readOnlyModeReason } from '../../src/control/controls.js';
import { maskUrl, parseRedisUrl } from '../../src/redis/index.js';
import type { QueueSearch } from '../../src/session/queue-search-api.js';
import type { ScreenSession } from '../../src/session/screen-session.js';
import { createCollector } from '../../src/sources/collector.js';
import { searchQueue } from '../../src/sources/queue-search.js';
import { createStore } from '../../src/store/store.js';
import {
  collectorSettings,
  connectControlClients,
  liveWorkerNames,
  runTargets,
} from '../config/cluster-connect.js';
import type { RunConfig } from '../config/config.js';
import { type ControlsHandle, controlsFromStore, openControls } from '../control/controls.js';

/** A connected cluster: what the screen shows, plus what only its owner may do. */
export interface TuiSession extends ScreenSession {
  /** Passwords of its URLs, to scrub from any message about it. */
  secrets: (string | undefined)[];
  /** Start sampling (the collector is connected but idle until then). */
  start(): void;
  /** Stop the collector and close every connection; safe to call twice. */
  close(): Promise<void>;
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
  const targets = runTargets(config);
  // 100 ms batches; the screen's own frames (views/view-frame.ts) throttle further to 5/s.
  const store = createStore({ clock, config: config.model, notifyEveryMs: 100 });
  const collector = createCollector(
    collectorSettings(config, targets, {
      interactive: true,
      inspectTimeoutMs: Math.min(config.timeoutMs, 2_000),
      knownWorkers: liveWorkerNames(store, clock),
    }),
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
    const { broker, backend, wire } = await connectControlClients(config, targets, true, clients);
    controls = await openControls({
      broker,
      backend,
      wire,
      clock,
      readOnly: config.readOnly,
      readOnlyReason: config.readOnly ? readOnlyModeReason : undefined,
      ...controlsFromStore(store, clock),
      timeoutMs: config.timeoutMs,
      beatPrefix: config.beat.prefix,
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
      secrets: [targets.broker.password, targets.backend?.password],
      start: () => collector.start(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
