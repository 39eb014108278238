import { type ExitCode, exitCodes } from '../base/exit-codes.js';
import { maskSecrets, targetLabel, withPasswordPlaceholder } from './mask.js';
import type { RedisTarget } from './url.js';

/** Why Redis could not be used; `auth` and `noperm` are refusals, the rest are reachability or setup. */
export type ConnectErrorCode =
  | 'unreachable'
  | 'auth'
  | 'noperm'
  | 'bad-db'
  | 'tls'
  | 'timeout'
  | 'sentinel'
  | 'other';

/** A classified failure: `message` is one line with the cause and the fix, the URL masked. */
export interface ConnectFailure {
  code: ConnectErrorCode;
  message: string;
}

/**
 * The error `connectRedis` rejects with (and the client factory throws for unreadable TLS files), so a
 * command can print `message` as is and exit with `exitCodeFor(code)`.
 */
export class ConnectError extends Error implements ConnectFailure {
  override name = 'ConnectError';
  readonly code: ConnectErrorCode;
  constructor(failure: ConnectFailure, options?: { cause?: unknown }) {
    super(failure.message, options);
    this.code = failure.code;
  }
}

/** Retrying with the same settings cannot help: the URL, password, ACL or certificates must change. */
export function isFatal(code: ConnectErrorCode): boolean {
  return code === 'auth' || code === 'noperm' || code === 'bad-db' || code === 'tls';
}

/** `auth` for refusals (4), `connect` (3) for everything else. */
export function exitCodeFor(code: ConnectErrorCode): ExitCode {
  return code === 'auth' || code === 'noperm' ? exitCodes.auth : exitCodes.connect;
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is redis-server running? check --broker or CELERY_BROKER_URL)',
  ENOTFOUND: 'host name not found (check the host in --broker or CELERY_BROKER_URL)',
  EAI_AGAIN: 'host name lookup failed (check the host and DNS)',
  ENOENT: 'no such socket file (is redis-server running with unixsocket set to this path?)',
  EACCES: 'permission denied on the socket (check unixsocketperm in redis.conf, or run qtop as its owner)',
  EHOSTUNREACH: 'no route to host (check the host, network and firewall)',
  ENETUNREACH: 'network unreachable (check the host, network and firewall)',
  ECONNRESET: 'the server reset the connection (is this a Redis port? a TLS-only server needs rediss://)',
  EPIPE: 'the server closed the connection (is this a Redis port? a TLS-only server needs rediss://)',
};
UNREACHABLE.EPERM = UNREACHABLE.EACCES!;

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$)/;

/**
 * Turn anything ioredis, Node or a Redis reply threw into a code and a one-line message naming the
 * target (password masked) and what to do. Also meant for command errors after connecting (a NOPERM
 * on LRANGE classifies the same way). Known secrets are scrubbed from any quoted error text.
 */
export function classifyRedisError(error: unknown, target: RedisTarget): ConnectFailure {
  if (error instanceof ConnectError) return { code: error.code, message: error.message };
  const raw = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const text = oneLine(maskSecrets(raw, [target.password, target.sentinelPassword]));
  const label = targetLabel(target);
  const fail = (c: ConnectErrorCode, message: string): ConnectFailure => ({
    code: c,
    message: oneLine(message),
  });
  const token = /^ERR\b/.test(text) ? text : (text.split(' ')[0] ?? text);

  if (/^(WRONGPASS|ERR invalid password|ERR invalid username-password)/.test(text)) {
    const what = target.username ? 'user name or password' : 'password';
    return fail('auth', `Redis refused the ${what} for ${label} (${token}): check the ${what} in the URL`);
  }
  if (/^NOAUTH\b/.test(text))
    return fail(
      'auth',
      `Redis requires a password (NOAUTH): put it in the URL as ${withPasswordPlaceholder(target)}`,
    );
  if (/^NOPERM\b/.test(text)) {
    const user = target.username || 'default';
    return fail(
      'noperm',
      `Redis user '${user}' lacks a permission at ${label} (${text}): ` +
        'grant it with ACL SETUSER or use another user (ACL LOG shows what was denied)',
    );
  }
  if (/DB index is out of range|invalid DB index/i.test(text))
    return fail(
      'bad-db',
      `database ${target.db} does not exist on this server (${token}): use a db below 'databases' in redis.conf`,
    );
  if (/SELECT is not allowed in cluster mode/i.test(text))
    return fail('bad-db', `Redis at ${label} is a cluster node with only db 0 (${token}): use /0 in the URL`);
  if (/^LOADING\b/.test(text))
    return fail(
      'other',
      `Redis at ${label} is still loading its dataset (LOADING): wait for it to finish and retry`,
    );
  // ioredis reports a sentinel's own refusal inside its summary ("… Last error: NOAUTH …").
  if (target.kind === 'sentinel' && /Last error: (NOAUTH|WRONGPASS|ERR invalid password|ERR AUTH)/.test(text))
    return fail(
      'auth',
      `a Sentinel at ${label} refused qtop (${/Last error: (\S+)/.exec(text)?.[1]}): the sentinels' own ` +
        'password goes in ?sentinel_password=… (the password in the URL is for the master)',
    );
  if (target.kind === 'sentinel' && /sentinel/i.test(text))
    return fail(
      'sentinel',
      `no Sentinel gave the address of master '${target.masterName}' at ${label}: ${text} ` +
        '(check the sentinel hosts, ports and the master name)',
    );
  // ioredis `socketTimeout`: a command waited that long without a byte back (client.ts).
  const silent = /^Socket timeout\. Expecting data, but didn't receive any in (\d+)ms/.exec(text);
  if (silent)
    return fail(
      'timeout',
      `Redis at ${label} stopped answering: no reply within ${silent[1]} ms (frozen, overloaded, or a network partition)`,
    );
  if (typeof code === 'string' && TLS_CODE.test(code)) return fail('tls', tlsMessage(label, code, text));
  if (code === 'ETIMEDOUT') return timeoutFailure(target, undefined, 'connect');
  if (typeof code === 'string' && UNREACHABLE[code])
    return fail('unreachable', `cannot reach Redis at ${label}: ${UNREACHABLE[code]}`);
  if (/^(Connection is closed|Reached the max retries)/.test(text))
    return fail('unreachable', `cannot reach Redis at ${label}: ${UNREACHABLE.EPIPE}`);
  return fail('other', `Redis at ${label} failed: ${text}`);
}

/**
 * No answer in time. `connect`: no connection was made (filtered port, wrong host); `answer`: a
 * connection was made but nothing Redis-like replied (another service, or TLS spoken to by plain TCP).
 */
export function timeoutFailure(
  target: RedisTarget,
  ms: number | undefined,
  stage: 'connect' | 'answer',
): ConnectFailure {
  const label = targetLabel(target);
  const after = ms === undefined ? '' : ` after ${ms} ms`;
  return stage === 'connect'
    ? {
        code: 'timeout',
        message: `timed out${after} connecting to Redis at ${label} (check the host, port and firewall)`,
      }
    : {
        code: 'timeout',
        message: `connected to ${label} but Redis did not answer${after} (is this a Redis port? a TLS server needs rediss://)`,
      };
}

function tlsMessage(label: string, code: string, text: string): string {
  const fix =
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO'
      ? 'the server may not speak TLS: try redis:// instead of rediss://'
      : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? 'connect by a host name the certificate names, or add ?ssl_cert_reqs=none'
        : "pass the server's CA as ?ssl_ca_certs=/path/ca.pem, or add ?ssl_cert_reqs=none to skip verification";
  return `TLS with ${label} failed (${code}: ${text}): ${fix}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
