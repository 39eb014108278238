import type { Decoded } from '../celery/types.js';
import { type Parts, splitUrl, URL_SEPARATOR, UrlError } from './url-parts.js';

/** TLS settings from a `rediss://` URL (kombu/redis-py `ssl_*` query options). */
export interface TlsSettings {
  /** False only for `ssl_cert_reqs=none`; Python's CERT_OPTIONAL verifies a server certificate too. */
  rejectUnauthorized: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface HostPort {
  host: string;
  port: number;
}

/**
 * Where and how to connect, decoded from a broker URL. One value describes the whole connection so the
 * client factory, error messages and masked labels all work from the same facts.
 */
export interface RedisTarget {
  kind: 'tcp' | 'unix' | 'sentinel';
  host?: string;
  port?: number;
  /** Unix socket path (kind `unix`). */
  path?: string;
  /** Sentinel addresses in the order given (kind `sentinel`). */
  sentinels?: HostPort[];
  masterName?: string;
  db: number;
  username?: string;
  password?: string;
  /**
   * Credentials for the sentinels themselves (kind `sentinel`). As in kombu, the URL's own password
   * goes to the master and its replicas only (redis-py `Sentinel(sentinel_kwargs=None)` sends none to
   * the sentinels); sentinels with `requirepass` get these, from `?sentinel_password=`/`sentinel_username=`
   * (kombu: `broker_transport_options={'sentinel_kwargs': {'password': …}}`).
   */
  sentinelUsername?: string;
  sentinelPassword?: string;
  tls?: TlsSettings;
}

export interface ParseOptions {
  /** Sentinel master name from configuration (Celery `broker_transport_options['master_name']`); wins over the URL. */
  masterName?: string;
}

const DEFAULT_HOST = '127.0.0.1'; // kombu's default; 'localhost' may resolve to ::1 where Redis is not bound
const DEFAULT_PORT = 6379;
const SENTINEL_PORT = 26379;
const SCHEMES = 'redis://, rediss://, unix://, redis+socket:// or sentinel://';
const MASTER_HINT = "add ?master_name=NAME (Celery: broker_transport_options={'master_name': NAME})";

/**
 * Decode a broker URL the way Celery/kombu read it: `redis://[[user]:password@]host[:port][/db]`,
 * `rediss://` with `ssl_*` options, `unix:///path?db=N` (also `redis+socket://`, `socket://`), and
 * `sentinel://[:password@]host[:port][/db]` joined by ';' with a master name (and optionally
 * `sentinel_password`/`sentinel_username` for the sentinels themselves). Never throws; reasons
 * never quote the URL because a mistyped URL may carry a password anywhere in it.
 */
export function parseRedisUrl(url: string, options: ParseOptions = {}): Decoded<RedisTarget> {
  try {
    const pieces = url
      .trim()
      .replace(/;+$/, '')
      .split(URL_SEPARATOR)
      .map((piece) => piece.trim())
      .filter((piece) => piece !== '');
    if (pieces.length === 0)
      return { ok: false, reason: 'empty URL: expected e.g. redis://localhost:6379/0' };
    const parts = pieces.map(splitUrl);
    if (parts.some((part) => part.scheme === 'sentinel'))
      return { ok: true, value: sentinel(parts, options) };
    if (parts.length > 1) throw new UrlError("several URLs joined by ';' are only supported for sentinel://");
    return { ok: true, value: single(parts[0]!) };
  } catch (error) {
    if (error instanceof UrlError) return { ok: false, reason: error.message };
    return { ok: false, reason: 'unreadable URL' };
  }
}

function single(part: Parts): RedisTarget {
  const credentials = credentialsOf(part);
  switch (part.scheme) {
    case 'redis':
    case 'rediss': {
      const target: RedisTarget = {
        kind: 'tcp',
        ...hostPort(part, DEFAULT_PORT),
        db: dbOf(part),
        ...credentials,
      };
      if (part.scheme === 'rediss') target.tls = tlsOf(part);
      return target;
    }
    case 'unix':
    case 'socket':
    case 'redis+socket': {
      if (part.host !== '')
        throw new UrlError('a unix socket URL has no host: write unix:///path/to/redis.sock?db=0');
      if (!part.path.startsWith('/') || part.path.length < 2)
        throw new UrlError(
          'a unix socket URL needs an absolute socket path: unix:///path/to/redis.sock?db=0',
        );
      const db = part.query.has('db') ? number(part.query.get('db')!, 'db') : 0;
      return { kind: 'unix', path: part.path, db, ...credentials };
    }
    default:
      throw new UrlError(`unsupported scheme '${part.scheme}': use ${SCHEMES}`);
  }
}

function sentinel(parts: Parts[], options: ParseOptions): RedisTarget {
  if (parts.some((part) => part.scheme !== 'sentinel'))
    throw new UrlError("a sentinel URL list may only contain sentinel:// URLs joined by ';'");
  const sentinels = parts.map((part) => hostPort(part, SENTINEL_PORT));
  const masterName =
    options.masterName ||
    parts.map((p) => p.query.get('master_name') || p.query.get('service_name')).find(Boolean);
  if (!masterName) throw new UrlError(`a sentinel URL needs the master name: ${MASTER_HINT}`);
  // kombu reads credentials and db from the first URL; later ones may repeat them but not contradict them.
  const dbs = new Set(parts.filter((p) => p.path !== '' || p.query.has('db')).map(dbOf));
  if (dbs.size > 1) throw new UrlError(`the sentinel URLs name different databases (${[...dbs].join(', ')})`);
  const creds = parts.map(credentialsOf).filter((c) => c.password !== undefined || c.username !== undefined);
  if (creds.some((c) => c.password !== creds[0]?.password || c.username !== creds[0]?.username))
    throw new UrlError('the sentinel URLs carry different credentials: give them once, in the first URL');
  return {
    kind: 'sentinel',
    sentinels,
    masterName,
    db: [...dbs][0] ?? 0,
    ...creds[0],
    ...sentinelCredentials(parts),
  };
}

/** `sentinel_username`/`sentinel_password` from any of the URLs; repeats must agree. */
function sentinelCredentials(parts: Parts[]): Pick<RedisTarget, 'sentinelUsername' | 'sentinelPassword'> {
  const out: Pick<RedisTarget, 'sentinelUsername' | 'sentinelPassword'> = {};
  for (const [field, key] of [
    ['sentinelUsername', 'sentinel_username'],
    ['sentinelPassword', 'sentinel_password'],
  ] as const) {
    const values = new Set(parts.map((p) => p.query.get(key)).filter((v) => v !== undefined && v !== ''));
    if (values.size > 1)
      throw new UrlError(`the sentinel URLs give different values for ${key}: give it once`);
    const [value] = values;
    if (value !== undefined) out[field] = value;
  }
  return out;
}

function hostPort(part: Parts, defaultPort: number): HostPort {
  let host = part.host;
  let portText = '';
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) throw new UrlError("an IPv6 host needs a closing ']'");
    portText = host.slice(close + 1);
    host = host.slice(1, close);
    if (portText !== '' && !portText.startsWith(':'))
      throw new UrlError("unexpected text after an IPv6 host's ']'");
    portText = portText.slice(1);
    if (!/^[0-9a-fA-F:.]+$/.test(host)) throw new UrlError('the IPv6 host is not a valid address');
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) {
      if (host.indexOf(':', colon + 1) >= 0)
        throw new UrlError('an IPv6 host must be written in brackets: [::1]');
      portText = host.slice(colon + 1);
      host = host.slice(0, colon);
    }
    if (host !== '' && !/^[A-Za-z0-9._-]+$/.test(host))
      throw new UrlError(
        'the host name has characters that are not allowed (a password must be percent-encoded)',
      );
  }
  const port = portText === '' ? defaultPort : number(portText, 'port');
  if (port < 1 || port > 65535) throw new UrlError('the port must be between 1 and 65535');
  return { host: host || DEFAULT_HOST, port };
}

function dbOf(part: Parts): number {
  const fromPath = part.path.replace(/^\//, '');
  if (fromPath.includes('/')) throw new UrlError('the path must be just the database number, e.g. /0');
  const fromQuery = part.query.get('db');
  const pathDb = fromPath === '' ? undefined : number(fromPath, 'db');
  const queryDb = fromQuery === undefined ? undefined : number(fromQuery, 'db');
  if (pathDb !== undefined && queryDb !== undefined && pathDb !== queryDb)
    throw new UrlError(`the database is given twice and differs (/${pathDb} and ?db=${queryDb})`);
  return pathDb ?? queryDb ?? 0;
}

function credentialsOf(part: Parts): Pick<RedisTarget, 'username' | 'password'> {
  const out: Pick<RedisTarget, 'username' | 'password'> = {};
  const username = part.username ?? part.query.get('username');
  const password = part.password ?? part.query.get('password');
  if (username) out.username = username; // empty means the 'default' ACL user, as in redis://:pw@host
  if (password !== undefined) out.password = password;
  return out;
}

function tlsOf(part: Parts): TlsSettings {
  const reqs = (part.query.get('ssl_cert_reqs') ?? 'required').toLowerCase().replace(/^cert_/, '');
  if (reqs !== 'required' && reqs !== 'optional' && reqs !== 'none')
    throw new UrlError(
      'ssl_cert_reqs must be required, optional or none (or CERT_REQUIRED, CERT_OPTIONAL, CERT_NONE)',
    );
  const tls: TlsSettings = { rejectUnauthorized: reqs !== 'none' };
  const files = { caFile: 'ssl_ca_certs', certFile: 'ssl_certfile', keyFile: 'ssl_keyfile' } as const;
  for (const [field, key] of Object.entries(files) as [keyof typeof files, string][]) {
    const value = part.query.get(key);
    if (value) tls[field] = value;
  }
  return tls;
}

/** Whole non-negative numbers only: '1e3', '-1', '0x10' and ' 5' are all mistakes in a URL. */
function number(text: string, what: 'db' | 'port'): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2 ** 31 - 1)
    throw new UrlError(
      what === 'db'
        ? 'the database must be a whole number 0 or more, e.g. /0 or ?db=0'
        : 'the port must be a number',
    );
  return Number(text);
}
