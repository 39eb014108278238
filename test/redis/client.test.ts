import { describe, expect, it } from 'vitest';
import { ioredisOptions, retryDelay } from '../../src/redis/client.js';
import { ConnectError } from '../../src/redis/connect-error.js';
import { parseRedisUrl, type RedisTarget } from '../../src/redis/url.js';

function target(url: string): RedisTarget {
  const result = parseRedisUrl(url);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

const files: Record<string, string> = { '/ca.pem': 'CA', '/c.pem': 'CERT', '/k.pem': 'KEY' };
function fakeRead(path: string): string {
  const content = files[path];
  if (content === undefined)
    throw Object.assign(new Error(`ENOENT: no such file '${path}'`), { code: 'ENOENT' });
  return content;
}

describe('ioredisOptions', () => {
  it('builds a TCP client on the db with credentials, RESP2 and no ready check', () => {
    const options = ioredisOptions(target('redis://celery:pw@h:6390/3'), { interactive: false }, fakeRead);
    expect(options).toMatchObject({
      host: 'h',
      port: 6390,
      db: 3,
      username: 'celery',
      password: 'pw',
      connectionName: 'qtop',
      protocol: 2,
      enableReadyCheck: false,
      enableOfflineQueue: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 5000,
    });
    expect(options.tls).toBeUndefined();
    expect(options.path).toBeUndefined();
    expect(options.sentinels).toBeUndefined();
  });

  it('sends no AUTH for a user name without password, and the default user for :pw@', () => {
    const bare = ioredisOptions(target('redis://celery@h'), { interactive: false }, fakeRead);
    expect(bare.username).toBeUndefined();
    expect(bare.password).toBeUndefined();
    const defaultUser = ioredisOptions(target('redis://:pw@h'), { interactive: false }, fakeRead);
    expect(defaultUser.username).toBeUndefined();
    expect(defaultUser.password).toBe('pw');
  });

  it('uses the given connection name (made CLIENT SETNAME-safe) and timeout', () => {
    const options = ioredisOptions(target('redis://h'), {
      interactive: true,
      name: 'qtop events',
      connectTimeoutMs: 1234,
    });
    expect(options.connectionName).toBe('qtop-events');
    expect(options.connectTimeout).toBe(1234);
  });

  it('builds a unix socket client', () => {
    const options = ioredisOptions(target('unix://:pw@/tmp/r.sock?db=2'), { interactive: false }, fakeRead);
    expect(options).toMatchObject({ path: '/tmp/r.sock', db: 2, password: 'pw' });
    expect(options.host).toBeUndefined();
  });

  it('builds a Sentinel client with the master name and every sentinel', () => {
    const url = 'sentinel://:pw@s1:26380/1;sentinel://s2?master_name=mymaster';
    const options = ioredisOptions(target(url), { interactive: false }, fakeRead);
    expect(options).toMatchObject({
      name: 'mymaster',
      sentinels: [
        { host: 's1', port: 26380 },
        { host: 's2', port: 26379 },
      ],
      db: 1,
      password: 'pw',
    });
    expect([1, 3].map((n) => options.sentinelRetryStrategy?.(n))).toEqual([100, null]);
    expect(options.host).toBeUndefined();
  });

  it('builds TLS options, reading CA, certificate and key', () => {
    const url =
      'rediss://h:6380/0?ssl_cert_reqs=required&ssl_ca_certs=/ca.pem&ssl_certfile=/c.pem&ssl_keyfile=/k.pem';
    const options = ioredisOptions(target(url), { interactive: false }, fakeRead);
    expect(options.tls).toEqual({ rejectUnauthorized: true, ca: 'CA', cert: 'CERT', key: 'KEY' });
    const lax = ioredisOptions(target('rediss://h/0?ssl_cert_reqs=none'), { interactive: false }, fakeRead);
    expect(lax.tls).toEqual({ rejectUnauthorized: false });
  });

  it('throws a tls ConnectError naming the file and the option when a TLS file cannot be read', () => {
    const build = () =>
      ioredisOptions(target('rediss://h/0?ssl_ca_certs=/missing.pem'), { interactive: false }, fakeRead);
    expect(build).toThrow(ConnectError);
    expect(build).toThrow('cannot read TLS file /missing.pem given as ssl_ca_certs (ENOENT): check the path');
    try {
      build();
    } catch (error) {
      expect((error as ConnectError).code).toBe('tls');
    }
  });

  it('wires the retry policy into retryStrategy', () => {
    expect(ioredisOptions(target('redis://h'), { interactive: false }).retryStrategy?.(3)).toBeNull();
    expect(ioredisOptions(target('redis://h'), { interactive: true }).retryStrategy?.(3)).toBe(400);
  });
});

describe('retryDelay', () => {
  it('gives up after two quick retries when not interactive', () => {
    expect([1, 2, 3, 10].map((n) => retryDelay(n, false))).toEqual([100, 200, null, null]);
  });

  it('backs off exponentially to a 5 s cap, forever, when interactive', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 1000].map((n) => retryDelay(n, true))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });
});
