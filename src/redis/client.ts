import fs from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';
import { ConnectError, classifyRedisError, isFatal, timeoutFailure } from './connect-error.js';
import type { RedisTarget } from './url.js';

/**
 * Connection policy, decided once here so every source behaves the same:
 * - RESP2 (`protocol: 2`), like kombu/redis-py: no HELLO round trip or downgrade on old servers, and
 *   pub/sub stays on its own connection as the design assumes.
 * - No INFO ready check: on a user without +info ioredis would `console.warn` into the TUI; a server
 *   still loading answers LOADING, which `connectRedis` waits out and sources record as a gap.
 * - Offline queue on until the first `ready` (commands issued right after creation wait for the
 *   connection), then off: during an outage a poll fails at once and the sampler records a gap instead
 *   of piling up behind a dead socket. `maxRetriesPerRequest: 0` fails in-flight commands on a drop.
 * - Retries: non-interactive gives up after 2 quick retries (a snapshot must end); interactive backs
 *   off 100 ms doubling to a 5 s cap forever while the TUI shows 'disconnected, retrying'. When
 *   `keepReconnecting()` says so, a non-interactive client that has connected backs off like an
 *   interactive one (`--json --watch` must outlive a Redis restart; its caller bounds the outage).
 * - A server that stops answering (frozen, or a partition that sends no reset) counts as a dropped
 *   connection after `connectTimeoutMs` without a byte while a command waits (`socketTimeout`); without
 *   it, TCP would take minutes to notice and every poll would hang instead of recording a gap.
 * - An `error` listener is always attached: without one ioredis prints errors to the console.
 */
export interface ClientOptions {
  /** CLIENT SETNAME, shown in CLIENT LIST; default `qtop`. (Not ioredis's `name`, the Sentinel master.) */
  name?: string;
  /** True for the TUI: retry forever with backoff. False for one-shot commands: bounded retries. */
  interactive: boolean;
  /**
   * Asked at each reconnect of a non-interactive client: true while the caller runs long-lived (a
   * started collector), so a connected client then reconnects forever with backoff.
   */
  keepReconnecting?: () => boolean;
  /** Per connection attempt, and the whole `connectRedis` bound; default 5000. */
  connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const MAX_BACKOFF_MS = 5000;
const NON_INTERACTIVE_RETRIES = 2;

/** Delay before reconnect attempt `attempt` (1-based), or null to give up; see the policy above. */
export function retryDelay(attempt: number, interactive: boolean): number | null {
  if (!interactive) return attempt <= NON_INTERACTIVE_RETRIES ? 100 * attempt : null;
  return Math.min(100 * 2 ** Math.min(attempt - 1, 16), MAX_BACKOFF_MS);
}

/**
 * The ioredis options for a target, without connecting: pure apart from `readFile` (TLS CA,
 * certificate and key files), which tests replace. Throws a `ConnectError` (code `tls`) when a TLS
 * file cannot be read, because a missing CA would otherwise surface as a vague handshake failure.
 */
export function ioredisOptions(
  target: RedisTarget,
  opts: ClientOptions,
  readFile: (path: string) => Buffer | string = (path) => fs.readFileSync(path),
): RedisOptions {
  const options: RedisOptions = {
    connectionName: (opts.name ?? 'qtop').replace(/[^\w.:-]/g, '-'),
    db: target.db,
    protocol: 2,
    enableReadyCheck: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 0,
    connectTimeout: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // Armed only while a command waits for its reply, so an idle subscriber is never cut.
    socketTimeout: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    retryStrategy: (times) => retryDelay(times, opts.interactive),
    // ioredis arms a timer of this length on disconnect() to destroy a socket that has not
    // closed; on a refused socket no 'close' ever clears it, and its 2 s default kept
    // `qtop --json` alive that long after the error was printed.
    disconnectTimeout: 250,
  };
  // AUTH needs a password; a lone user name (redis://user@host) authenticates as nobody, and the
  // NOAUTH that follows tells the user where the password goes.
  if (target.password) {
    options.password = target.password;
    if (target.username) options.username = target.username;
  }
  if (target.tls) {
    const { rejectUnauthorized, caFile, certFile, keyFile } = target.tls;
    options.tls = { rejectUnauthorized };
    if (caFile) options.tls.ca = read(readFile, caFile, 'ssl_ca_certs');
    if (certFile) options.tls.cert = read(readFile, certFile, 'ssl_certfile');
    if (keyFile) options.tls.key = read(readFile, keyFile, 'ssl_keyfile');
  }
  if (target.kind === 'unix') options.path = target.path;
  else if (target.kind === 'sentinel') {
    options.sentinels = (target.sentinels ?? []).map(({ host, port }) => ({ host, port }));
    options.name = target.masterName;
    options.sentinelRetryStrategy = (times) => retryDelay(times, opts.interactive);
    // kombu sends the URL password to the master only; sentinels get their own credentials (none
    // unless `sentinel_password` is given), like redis-py's `Sentinel(sentinel_kwargs=…)`.
    if (target.sentinelPassword) {
      options.sentinelPassword = target.sentinelPassword;
      if (target.sentinelUsername) options.sentinelUsername = target.sentinelUsername;
    }
    // Sentinels answer slowly only when they are gone: bound each query like a connect.
    options.sentinelCommandTimeout = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    if (target.tls) options.enableTLSForSentinelMode = true;
  } else {
    options.host = target.host;
    options.port = target.port;
  }
  return options;
}

function read(readFile: (path: string) => Buffer | string, path: string, key: string): Buffer | string {
  try {
    return readFile(path);
  } catch (error) {
    const why = (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
    throw new ConnectError({
      code: 'tls',
      message: `cannot read TLS file ${path} given as ${key} (${why}): check the path`,
    });
  }
}

/**
 * A client that starts connecting at once and follows the policy above. Throws only a `ConnectError`
 * for an unreadable TLS file. Use `connectRedis` when the caller must know the connection works.
 */
export function createRedisClient(target: RedisTarget, opts: ClientOptions): Redis {
  const options = ioredisOptions(target, opts);
  const state = { connected: false };
  const keep = opts.keepReconnecting;
  if (keep && !opts.interactive) {
    // Decided per attempt: a run that never connected still fails fast. Duplicates (the subscriber)
    // share this closure, and are made once the original is connected.
    const strategy = (times: number) => retryDelay(times, state.connected && keep());
    options.retryStrategy = strategy;
    if (options.sentinelRetryStrategy) options.sentinelRetryStrategy = strategy;
  }
  const client = new Redis(options);
  client.on('error', () => {}); // failures surface through connectRedis, command rejections and status events
  client.once('ready', () => {
    state.connected = true;
    client.options.enableOfflineQueue = false;
  });
  return client;
}

/**
 * A second connection with the same target for SUBSCRIBE/PSUBSCRIBE (a RESP2 subscriber can run
 * nothing else). Unlike the command client it keeps its offline queue and waits across reconnects,
 * since a subscription issued during an outage should take effect later; ioredis resubscribes by itself.
 */
export function createSubscriber(client: Redis): Redis {
  const subscriber = client.duplicate({
    connectionName: `${client.options.connectionName ?? 'qtop'}-sub`,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
  });
  subscriber.on('error', () => {});
  return subscriber;
}

/**
 * A connected client on the target's db, or a `ConnectError` within `connectTimeoutMs` (default
 * 5 s). Checks what ioredis does not: a SELECT failure (ioredis only emits it and goes ready on db 0)
 * rejects as `bad-db`, and a PING proves the credentials and ACL allow commands (NOAUTH/NOPERM appear
 * only then). Refusals reject at once; unreachable servers reject when the client's retries run out
 * (non-interactive, well under a second) or at the bound with the last cause. The client is
 * disconnected on failure. No `cause` is attached: ioredis errors carry AUTH arguments.
 */
export async function connectRedis(target: RedisTarget, opts: ClientOptions): Promise<Redis> {
  const ms = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const client = createRedisClient(target, opts);
  try {
    await untilUsable(client, target, ms);
    return client;
  } catch (error) {
    client.disconnect();
    throw error instanceof ConnectError ? error : new ConnectError(classifyRedisError(error, target));
  }
}

function untilUsable(client: Redis, target: RedisTarget, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    let connected = false;
    let last: ConnectError | undefined;
    const finish = (failure?: ConnectError) => {
      clearTimeout(timer);
      client.off('error', onError).off('connect', onConnect).off('ready', onReady).off('end', onEnd);
      if (failure) reject(failure);
      else resolve();
    };
    const onError = (error: unknown) => {
      last = new ConnectError(classifyRedisError(error, target));
      if (isFatal(last.code)) finish(last);
    };
    const onConnect = () => {
      connected = true;
    };
    // SELECT errors are emitted before 'ready', so a bad db has already finished us by now.
    const onReady = () => {
      ping(client, deadline).then(
        () => finish(),
        (error: unknown) => finish(new ConnectError(classifyRedisError(error, target))),
      );
    };
    const onEnd = () =>
      finish(last ?? new ConnectError(classifyRedisError(new Error('Connection is closed.'), target)));
    const timer = setTimeout(
      () => finish(last ?? new ConnectError(timeoutFailure(target, ms, connected ? 'answer' : 'connect'))),
      ms,
    );
    client.on('error', onError).on('connect', onConnect).once('ready', onReady).once('end', onEnd);
  });
}

/** PING, waiting out LOADING (a restarted server reading its dump) until the deadline. */
async function ping(client: Redis, deadline: number): Promise<void> {
  for (;;) {
    try {
      await client.ping();
      return;
    } catch (error) {
      const loading = error instanceof Error && error.message.startsWith('LOADING');
      if (!loading || Date.now() + 200 > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
