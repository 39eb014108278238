import { describe, expect, it } from 'vitest';
import { exitCodes } from '../../src/base/exit-codes.js';
import {
  ConnectError,
  classifyRedisError,
  exitCodeFor,
  isFatal,
  timeoutFailure,
} from '../../src/redis/connect-error.js';
import { parseRedisUrl, type RedisTarget } from '../../src/redis/url.js';

function target(url: string): RedisTarget {
  const result = parseRedisUrl(url);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

const withPw = target('redis://:s3cr3t-pw@127.0.0.1:6390/0');
const nodeError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('classifyRedisError', () => {
  it('explains a refused connection', () => {
    expect(
      classifyRedisError(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:6390'), withPw),
    ).toEqual({
      code: 'unreachable',
      message:
        'cannot reach Redis at redis://:***@127.0.0.1:6390/0: connection refused ' +
        '(is redis-server running? check --broker or CELERY_BROKER_URL)',
    });
  });

  it.each([
    ['ENOTFOUND', /host name not found/],
    ['ENOENT', /no such socket file/],
    ['EACCES', /permission denied on the socket/],
    ['ECONNRESET', /reset the connection/],
    ['EHOSTUNREACH', /no route to host/],
  ])('maps %s to unreachable', (code, message) => {
    const failure = classifyRedisError(nodeError(code, code), withPw);
    expect(failure.code).toBe('unreachable');
    expect(failure.message).toMatch(message);
  });

  it('explains WRONGPASS without the password', () => {
    const error = new Error('WRONGPASS invalid username-password pair or user is disabled.');
    expect(classifyRedisError(error, withPw)).toEqual({
      code: 'auth',
      message:
        'Redis refused the password for redis://:***@127.0.0.1:6390/0 (WRONGPASS): check the password in the URL',
    });
    const withUser = classifyRedisError(error, target('redis://celery:pw@h/0'));
    expect(withUser.message).toMatch(
      /refused the user name or password for redis:\/\/celery:\*\*\*@h:6379\/0/,
    );
    expect(classifyRedisError(new Error('ERR invalid password'), withPw).code).toBe('auth');
  });

  it('says where the password goes on NOAUTH', () => {
    expect(
      classifyRedisError(new Error('NOAUTH Authentication required.'), target('redis://h:6390/2')),
    ).toEqual({
      code: 'auth',
      message: 'Redis requires a password (NOAUTH): put it in the URL as redis://:PASSWORD@h:6390/2',
    });
  });

  it('reports NOPERM with the user and the denied command', () => {
    const error = new Error("NOPERM this user has no permissions to run the 'ping' command");
    const failure = classifyRedisError(error, target('redis://nobody:pw@h:1/0'));
    expect(failure.code).toBe('noperm');
    expect(failure.message).toBe(
      "Redis user 'nobody' lacks a permission at redis://nobody:***@h:1/0 (NOPERM this user has no permissions " +
        "to run the 'ping' command): grant it with ACL SETUSER or use another user (ACL LOG shows what was denied)",
    );
  });

  it('reports a missing database', () => {
    expect(classifyRedisError(new Error('ERR DB index is out of range'), target('redis://h/99'))).toEqual({
      code: 'bad-db',
      message:
        "database 99 does not exist on this server (ERR DB index is out of range): use a db below 'databases' in redis.conf",
    });
    expect(
      classifyRedisError(new Error('ERR SELECT is not allowed in cluster mode'), target('redis://h/1')).code,
    ).toBe('bad-db');
  });

  it('classifies TLS failures with a fix', () => {
    const verify = classifyRedisError(
      nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
      withPw,
    );
    expect(verify.code).toBe('tls');
    expect(verify.message).toMatch(/ssl_ca_certs=\/path\/ca.pem, or add \?ssl_cert_reqs=none/);
    const plain = classifyRedisError(
      nodeError('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'),
      withPw,
    );
    expect(plain.message).toMatch(/may not speak TLS: try redis:\/\//);
  });

  it('classifies Sentinel failures', () => {
    const sentinel = target('sentinel://s1:26379;sentinel://s2?master_name=mymaster');
    const error = new Error(
      'All sentinels are unreachable and retry is disabled. Last error: connect ECONNREFUSED',
    );
    const failure = classifyRedisError(error, sentinel);
    expect(failure.code).toBe('sentinel');
    expect(failure.message).toMatch(
      /^no Sentinel gave the address of master 'mymaster' at sentinel:\/\/s1:26379\/0;/,
    );
  });

  it('maps ETIMEDOUT, LOADING, closed connections and the rest', () => {
    expect(classifyRedisError(nodeError('ETIMEDOUT', 'connect ETIMEDOUT'), withPw).code).toBe('timeout');
    expect(classifyRedisError(new Error('LOADING Redis is loading'), withPw).message).toMatch(
      /still loading/,
    );
    expect(classifyRedisError(new Error('Connection is closed.'), withPw).code).toBe('unreachable');
    expect(classifyRedisError('weird\nthing', withPw)).toEqual({
      code: 'other',
      message: 'Redis at redis://:***@127.0.0.1:6390/0 failed: weird thing',
    });
  });

  it('never lets the password through, even when the error text quotes it', () => {
    const errors = [
      new Error('ERR something about s3cr3t-pw'),
      new Error('WRONGPASS s3cr3t-pw'),
      new Error('NOPERM s3cr3t-pw'),
      nodeError('ECONNREFUSED', 'redis://:s3cr3t-pw@h'),
    ];
    for (const error of errors) expect(classifyRedisError(error, withPw).message).not.toContain('s3cr3t-pw');
  });

  it('passes a ConnectError through unchanged', () => {
    const error = new ConnectError({ code: 'tls', message: 'cannot read TLS file' });
    expect(classifyRedisError(error, withPw)).toEqual({ code: 'tls', message: 'cannot read TLS file' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConnectError');
  });
});

describe('timeoutFailure', () => {
  it('tells a silent network from a silent server', () => {
    expect(timeoutFailure(withPw, 5000, 'connect').message).toBe(
      'timed out after 5000 ms connecting to Redis at redis://:***@127.0.0.1:6390/0 (check the host, port and firewall)',
    );
    expect(timeoutFailure(withPw, 5000, 'answer').message).toMatch(
      /^connected to .* but Redis did not answer after 5000 ms/,
    );
  });
});

describe('exit codes', () => {
  it('uses 4 for refusals, 3 for the rest; only refusals and setup errors are fatal', () => {
    expect(exitCodeFor('auth')).toBe(exitCodes.auth);
    expect(exitCodeFor('noperm')).toBe(4);
    for (const code of ['unreachable', 'bad-db', 'tls', 'timeout', 'sentinel', 'other'] as const)
      expect(exitCodeFor(code)).toBe(3);
    expect(['auth', 'noperm', 'bad-db', 'tls'].every((c) => isFatal(c as 'auth'))).toBe(true);
    expect(isFatal('unreachable') || isFatal('timeout') || isFatal('sentinel')).toBe(false);
  });

  it('keeps the documented numbers', () => {
    expect(exitCodes).toEqual({
      ok: 0,
      internal: 1,
      usage: 2,
      connect: 3,
      auth: 4,
      partial: 5,
      notFound: 6,
      interrupted: 130,
    });
  });
});
