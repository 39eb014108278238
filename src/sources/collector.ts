/**
 * The collector wires Redis clients, sources and the sampler for one run of qtop. It owns
 * every connection it opens; the TUI runs it live (`start`), `qtop --json` runs it once for
 * a bounded window (`collectOnce`). Sources only read; see docs/design.md "Never harm the cluster".
 */

import type { Redis } from 'ioredis';
import type { Clock } from '../base/clock.js';
import { backendKeyprefix } from '../celery/names.js';
import type { WireOptions } from '../celery/options.js';
import {
  type ConnectFailure,
  classifyRedisError,
  connectRedis,
  createSubscriber,
  type RedisTarget,
} from '../redis/index.js';
import { countLoad, type LoadCounter } from '../redis/load-counter.js';
import type { Action } from '../store/actions.js';
import { type BeatSourceOptions, defaultBeatSourceOptions, sampleBeat } from './beat-source.js';
import { type ConnectionWatch, probeConnection, watchConnection, within } from './connection-watch.js';
import { startEventStream } from './event-stream.js';
import { tryProbeFanoutPrefix } from './fanout-probe.js';
import { inspectRounds } from './inspect-rounds.js';
import { samplePidboxMembers } from './pidbox-members.js';
import { createCutoffProbe } from './pubsub-cutoff.js';
import { sampleQueues } from './queue-source.js';
import { createResultScanner, type ResultScanner, subscribeResults } from './result-source.js';
import { createSampler, type Sampler, type SamplerJob } from './sampler.js';
import { sampleUnacked } from './unacked-source.js';

export interface CollectorOptions {
  broker: RedisTarget;
  /** Null when the result backend is not Redis. */
  backend: RedisTarget | null;
  wire: WireOptions;
  /**
   * Interactive runs reconnect forever; scripts give up quickly, until `start()` makes them
   * long-running (`--json --watch`): from then on a dropped connection is waited out too.
   */
  interactive: boolean;
  connectTimeoutMs: number;
  peek: number;
  maxValueChars: number;
  maxQueues: number;
  maxUnacked: number;
  cadence: { queues: number; inspect: number; results: number };
  resultsScanBudget: number;
  /** Longest wait for workers in one pidbox round. */
  inspectTimeoutMs: number;
  /** Workers the store believes alive: who an inspect round waits for. */
  knownWorkers: () => string[];
  /**
   * The RedBeat keys to read at the queue cadence; default `redbeat:` with its lock
   * (`defaultBeatSourceOptions`); null turns the beat source off.
   */
  beat?: BeatSourceOptions | null;
}

export interface Collector {
  /** Open every connection (bounded by connectTimeoutMs); rejects with a ConnectError. */
  connect(): Promise<void>;
  /** Sample every source at its cadence until `stop`; dropped connections are waited out from now on. */
  start(): void;
  /** Subscribe, run every source once, and return when all are done or `windowMs` passed. */
  collectOnce(windowMs: number): Promise<{ complete: boolean }>;
  /**
   * Why the broker connection is unusable, or null. With `probeMs`, a connection that looks up must
   * also answer a PING within that time (a frozen server keeps its sockets open).
   */
  connectionLost(probeMs?: number): Promise<ConnectFailure | null>;
  /** Call `onGiveUp` once the broker has been unreachable for `ms` (the `--watch` bound). */
  giveUpAfter(ms: number, onGiveUp: (failure: ConnectFailure) => void): void;
  /** Abort rounds, unsubscribe and disconnect; bounded even when Redis no longer answers. */
  stop(): Promise<void>;
}

/** How often qtop reports its own Redis load while running live. */
const loadEveryMs = 5_000;
/** Longest wait in `stop()` for rounds to clean up and subscriptions to end before disconnecting. */
const stopGraceMs = 1_000;

function sameServer(a: RedisTarget, b: RedisTarget): boolean {
  return a.kind === b.kind && a.host === b.host && a.port === b.port && a.path === b.path;
}

function sameDb(a: RedisTarget, b: RedisTarget): boolean {
  return sameServer(a, b) && a.db === b.db && a.username === b.username && a.password === b.password;
}

export function createCollector(
  input: CollectorOptions,
  dispatch: (a: Action) => void,
  clock: Clock,
): Collector {
  // Fanout channel names carry the broker's db (`/{db}.celeryev`, wire doc 1): take it from the URL.
  const options: CollectorOptions = { ...input, wire: { ...input.wire, db: input.broker.db } };
  /** Set by `start()`: a live run must outlive a Redis restart, a one-shot run must end. */
  let longLived = false;
  const clientOptions = {
    interactive: options.interactive,
    keepReconnecting: () => longLived,
    connectTimeoutMs: options.connectTimeoutMs,
  };
  const opened: Redis[] = [];
  const stoppers: Array<() => Promise<void>> = [];
  let broker: Redis | null = null;
  let replies: Redis | null = null;
  let backend: Redis | null = null;
  let eventsSub: Redis | null = null;
  let resultsSub: Redis | null = null;
  let load: LoadCounter | null = null;
  let watch: ConnectionWatch | null = null;
  let sampler: Sampler | null = null;
  let scanner: ResultScanner | null = null;
  let subscribed = false;
  let inspectTick = 0;
  let loadTimer: ReturnType<Clock['setTimeout']> | null = null;

  async function open(target: RedisTarget, name: string): Promise<Redis> {
    const client = await connectRedis(target, { ...clientOptions, name });
    opened.push(client);
    // Back after a drop: poll the failing sources now instead of at the end of their backoff.
    client.on('ready', () => sampler?.retryFailing());
    return client;
  }

  /** Events and results share one subscriber when they live on one server (pub/sub ignores db). */
  function openSubscribers(b: Redis): void {
    eventsSub = createSubscriber(b);
    opened.push(eventsSub);
    resultsSub = eventsSub;
    if (backend && options.backend && !sameServer(options.broker, options.backend)) {
      resultsSub = createSubscriber(backend);
      opened.push(resultsSub);
    }
  }

  async function subscribe(): Promise<void> {
    if (subscribed || !broker || !eventsSub) return;
    subscribed = true;
    // A subscription that fails (the connection dropped meanwhile and gave up) is a gap, not a crash.
    const failed = (source: 'events' | 'results', target: RedisTarget) => (error: unknown) =>
      dispatch({
        type: 'source/failed',
        at: clock.now(),
        source,
        reason: classifyRedisError(error, target).message,
      });
    const probe = createCutoffProbe(broker);
    await startEventStream(eventsSub, options.wire, dispatch, clock, probe).then(
      (events) => stoppers.push(() => events.stop()),
      failed('events', options.broker),
    );
    if (resultsSub && options.backend) {
      // The channel is only a hint: each result is read back from the configured backend db.
      const verify = {
        keyprefix: backendKeyprefix(options.wire.backendKeyprefix),
        verifyWith: backend ?? undefined,
      };
      await subscribeResults(resultsSub, dispatch, () => clock.now(), verify).then(
        (results) => stoppers.push(() => results.stop()),
        failed('results', options.backend),
      );
    }
  }

  function jobs(): SamplerJob[] {
    const b = broker!;
    const list: SamplerJob[] = [
      {
        source: 'queues',
        everyMs: options.cadence.queues,
        run: async (at) => [
          await sampleQueues(
            b,
            options.wire,
            { peek: options.peek, maxQueues: options.maxQueues, maxValueChars: options.maxValueChars },
            at,
          ),
          await sampleUnacked(
            b,
            options.wire,
            { maxEntries: options.maxUnacked, maxValueChars: options.maxValueChars },
            at,
          ),
        ],
      },
      {
        source: 'inspect',
        everyMs: options.cadence.inspect,
        run: async (at, signal) => {
          const listed = await samplePidboxMembers(b, options.wire, at);
          const fanoutPrefix = await tryProbeFanoutPrefix(b, options.wire);
          const members = fanoutPrefix ? { ...listed, fanoutPrefix } : listed;
          const candidates = [...new Set([...members.nodes, ...options.knownWorkers()])].sort();
          const rounds = await inspectRounds(
            b,
            replies!,
            options.wire,
            candidates,
            options.inspectTimeoutMs,
            clock,
            inspectTick++,
            signal,
          );
          return [members, ...rounds];
        },
      },
    ];
    const beat = options.beat === undefined ? defaultBeatSourceOptions : options.beat;
    if (beat) {
      list.push({ source: 'beat', everyMs: options.cadence.queues, run: (at) => sampleBeat(b, beat, at) });
    }
    if (backend) {
      const be = backend;
      scanner = createResultScanner(be, {
        budget: options.resultsScanBudget,
        maxValueChars: options.maxValueChars,
        keyprefix: backendKeyprefix(options.wire.backendKeyprefix),
      });
      list.push({ source: 'results', everyMs: options.cadence.results, run: (at) => scanner!.next(at) });
    }
    return list;
  }

  return {
    async connect() {
      try {
        broker = await open(options.broker, 'qtop');
        replies = await open(options.broker, 'qtop-replies');
        if (options.backend) {
          backend = sameDb(options.broker, options.backend)
            ? broker
            : await open(options.backend, 'qtop-results');
        }
        // Made now rather than on subscribing so the load counter sees them: events are most of
        // the bytes qtop reads.
        openSubscribers(broker);
        load = countLoad([...new Set(opened)], clock.now());
        watch = watchConnection(broker, options.broker, clock);
        sampler = createSampler({ clock, onAction: dispatch, jobs: jobs(), target: options.broker });
      } catch (error) {
        await this.stop();
        throw error;
      }
    },
    start() {
      longLived = true;
      void subscribe().then(() => sampler?.start());
      const report = () => {
        if (load) dispatch({ type: 'load/measured', ...load.take(clock.now()) });
        loadTimer = clock.setTimeout(report, loadEveryMs);
      };
      loadTimer = clock.setTimeout(report, loadEveryMs);
    },
    async collectOnce(windowMs) {
      let timer: ReturnType<Clock['setTimeout']> | null = null;
      const deadline = new Promise<false>((resolve) => {
        timer = clock.setTimeout(() => resolve(false), windowMs);
      });
      const work = (async () => {
        await subscribe();
        await sampler?.runOnce();
        return true;
      })();
      const complete = await Promise.race([work, deadline]);
      if (timer !== null) clock.clearTimeout(timer);
      if (load) dispatch({ type: 'load/measured', ...load.take(clock.now()) });
      return { complete };
    },
    async connectionLost(probeMs) {
      const down = watch?.outage();
      if (down) return down.failure;
      if (!broker || probeMs === undefined) return null;
      return probeConnection(broker, options.broker, probeMs, clock);
    },
    giveUpAfter(ms, onGiveUp) {
      watch?.giveUpAfter(ms, onGiveUp);
    },
    async stop() {
      if (loadTimer !== null) clock.clearTimeout(loadTimer);
      watch?.stop(); // disconnecting on purpose is not an outage
      // Aborted rounds remove their reply binding and the subscriptions end cleanly, unless Redis
      // stopped answering: then the clients are dropped after the grace, which fails what waits.
      const graceful = (async () => {
        await sampler?.stop();
        for (const stop of stoppers.splice(0)) await stop().catch(() => {});
      })().catch(() => {});
      await within(graceful, stopGraceMs, clock);
      for (const client of opened.splice(0)) client.disconnect();
      await within(graceful, stopGraceMs, clock);
    },
  };
}
