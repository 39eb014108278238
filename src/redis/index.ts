/**
 * The Redis connection layer: broker URL parsing, password masking, failure classification and the
 * ioredis client factory. With src/sources, the only code that imports ioredis.
 */
export {
  type ClientOptions,
  connectRedis,
  createRedisClient,
  createSubscriber,
  DEFAULT_CONNECT_TIMEOUT_MS,
  ioredisOptions,
  retryDelay,
} from './client.js';
export {
  ConnectError,
  type ConnectErrorCode,
  type ConnectFailure,
  classifyRedisError,
  exitCodeFor,
  isFatal,
  timeoutFailure,
} from './connect-error.js';
export { maskSecrets, maskUrl, targetLabel, withPasswordPlaceholder } from './mask.js';
export {
  type HostPort,
  type ParseOptions,
  parseRedisUrl,
  type RedisTarget,
  type TlsSettings,
} from './url.js';
