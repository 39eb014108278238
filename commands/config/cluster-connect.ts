/**
 * What every command that reads a cluster builds the same way: the Redis targets of a run's
 * URLs, the collector's settings, and the control clients. Shared by `qtop --json`/`hints`/
 * `record` (collect.ts), the live screen (tui-session.ts) and the control subcommands
 * (control-run.ts), so a fix to how qtop connects lands in all of them at once.
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../../src/base/clock.js';
import type { WireOptions } from '../../src/celery/options.js';
import { connectRedis, maskUrl, parseRedisUrl, type RedisTarget } from '../../src/redis/index.js';
import type { CollectorOptions } from '../../src/sources/collector.js';
import { selectWorkers } from '../../src/store/select-workers.js';
import type { Store } from '../../src/store/store.js';
import { UsageError } from '../shared/usage-error.js';
import type { RunConfig } from './config.js';

/** The target of one of the run's URLs; an invalid URL is a usage error, its password masked. */
export function redisTarget(url: string, what: string, masterName: string | undefined): RedisTarget {
  const parsed = parseRedisUrl(url, masterName ? { masterName } : {});
  if (!parsed.ok) throw new UsageError(`invalid ${what} URL ${maskUrl(url)}: ${parsed.reason}`);
  return parsed.value;
}

/** The broker's target and the backend's (null when results are off or not on Redis). */
export function runTargets(config: RunConfig): { broker: RedisTarget; backend: RedisTarget | null } {
  return {
    broker: redisTarget(config.brokerUrl, 'broker', config.masterName),
    backend: config.backendNote ? null : redisTarget(config.backendUrl, 'result backend', config.masterName),
  };
}

/** Workers the store believes are up: the ones pidbox rounds wait for. */
export function liveWorkerNames(store: Store, clock: Clock): () => string[] {
  return () =>
    selectWorkers(store.getModel(), clock.now())
      .filter((worker) => worker.state !== 'offline' && worker.state !== 'lost')
      .map((worker) => worker.hostname);
}

/** The collector's settings for `config`; what differs by command is passed in. */
export function collectorSettings(
  config: RunConfig,
  targets: { broker: RedisTarget; backend: RedisTarget | null },
  run: { interactive: boolean; inspectTimeoutMs: number; knownWorkers: () => string[] },
): CollectorOptions {
  return {
    broker: targets.broker,
    backend: targets.backend,
    wire: config.wire,
    beat: config.beat,
    interactive: run.interactive,
    connectTimeoutMs: config.timeoutMs,
    peek: config.peek,
    maxValueChars: 64 * 1024,
    maxQueues: 10_000,
    maxUnacked: 1_000,
    cadence: config.cadence,
    resultsScanBudget: config.resultsScanBudget,
    inspectTimeoutMs: run.inspectTimeoutMs,
    knownWorkers: run.knownWorkers,
  };
}

/**
 * Connect the control clients: the broker, and the backend when it is another URL. Each client
 * is pushed to `clients` as soon as it exists, so the caller closes it even when a later
 * connection fails. The wire options gain the broker's db: fanout channel names carry it (wire
 * doc 2).
 */
export async function connectControlClients(
  config: RunConfig,
  targets: { broker: RedisTarget; backend: RedisTarget | null },
  interactive: boolean,
  clients: Redis[],
): Promise<{ broker: Redis; backend: Redis | null; wire: WireOptions }> {
  const connect = { interactive, connectTimeoutMs: config.timeoutMs, name: 'qtop-control' };
  const broker = await connectRedis(targets.broker, connect);
  clients.push(broker);
  let backend: Redis | null = null;
  if (targets.backend) {
    backend = config.backendUrl === config.brokerUrl ? broker : await connectRedis(targets.backend, connect);
    clients.push(backend);
  }
  return { broker, backend, wire: { ...config.wire, db: targets.broker.db } };
}
