import { describe, expect, it } from 'vitest';
import { parseRedisUrl, type RedisTarget } from '../../src/redis/url.js';

function ok(url: string, masterName?: string): RedisTarget {
  const result = parseRedisUrl(url, masterName ? { masterName } : {});
  if (!result.ok) throw new Error(`expected ${url} to parse: ${result.reason}`);
  return result.value;
}

function reason(url: string): string {
  const result = parseRedisUrl(url);
  if (result.ok) throw new Error(`expected ${url} to be rejected, got ${JSON.stringify(result.value)}`);
  return result.reason;
}

describe('parseRedisUrl: redis://', () => {
  it('reads host, port and db', () => {
    expect(ok('redis://cache.internal:6380/3')).toEqual({
      kind: 'tcp',
      host: 'cache.internal',
      port: 6380,
      db: 3,
    });
  });

  it('defaults to 127.0.0.1:6379 db 0, as kombu does', () => {
    expect(ok('redis://')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 6379, db: 0 });
    expect(ok('redis://redis')).toEqual({ kind: 'tcp', host: 'redis', port: 6379, db: 0 });
    expect(ok('redis://redis/')).toMatchObject({ db: 0 });
  });

  it('takes the db from ?db= and accepts the same db in both places', () => {
    expect(ok('redis://h?db=5').db).toBe(5);
    expect(ok('redis://h/5?db=5').db).toBe(5);
    expect(reason('redis://h/4?db=5')).toMatch(/given twice/);
  });

  it('reads :password@ (the default ACL user) and user:password@', () => {
    expect(ok('redis://:s3cret@h:1/0')).toMatchObject({ password: 's3cret' });
    expect(ok('redis://:s3cret@h:1/0').username).toBeUndefined();
    expect(ok('redis://celery:s3cret@h:1/0')).toMatchObject({ username: 'celery', password: 's3cret' });
    expect(ok('redis://celery@h')).toMatchObject({ username: 'celery' });
  });

  it('percent-decodes user and password', () => {
    const target = ok('redis://us%40er:p%40ss%2Fw%3Ard%23%25@h:1/0');
    expect(target).toMatchObject({ username: 'us@er', password: 'p@ss/w:rd#%', host: 'h' });
  });

  it("splits userinfo at the last '@', like urlsplit", () => {
    expect(ok('redis://:p@ss@h:1')).toMatchObject({ password: 'p@ss', host: 'h', port: 1 });
  });

  it('keeps a ; inside a password (only ;scheme:// separates URLs)', () => {
    expect(ok('redis://:a;b@h')).toMatchObject({ password: 'a;b', host: 'h' });
  });

  it('accepts ?password= and bracketed IPv6 hosts', () => {
    expect(ok('redis://h?password=x%26y')).toMatchObject({ password: 'x&y' });
    expect(ok('redis://[::1]:7000/2')).toEqual({ kind: 'tcp', host: '::1', port: 7000, db: 2 });
  });

  it('is case-insensitive in the scheme and ignores surrounding white space', () => {
    expect(ok('  REDIS://h:2/1 ')).toEqual({ kind: 'tcp', host: 'h', port: 2, db: 1 });
  });

  it('ignores transport options it does not use', () => {
    expect(ok('redis://h/1?socket_timeout=5&visibility_timeout=3600')).toEqual({
      kind: 'tcp',
      host: 'h',
      port: 6379,
      db: 1,
    });
  });
});

describe('parseRedisUrl: rediss://', () => {
  it('verifies certificates unless ssl_cert_reqs says none', () => {
    expect(ok('rediss://h:6380/0').tls).toEqual({ rejectUnauthorized: true });
    expect(ok('rediss://h/0?ssl_cert_reqs=required').tls).toEqual({ rejectUnauthorized: true });
    expect(ok('rediss://h/0?ssl_cert_reqs=CERT_REQUIRED').tls).toEqual({ rejectUnauthorized: true });
    expect(ok('rediss://h/0?ssl_cert_reqs=optional').tls).toEqual({ rejectUnauthorized: true });
    expect(ok('rediss://h/0?ssl_cert_reqs=CERT_OPTIONAL').tls).toEqual({ rejectUnauthorized: true });
    expect(ok('rediss://h/0?ssl_cert_reqs=none').tls).toEqual({ rejectUnauthorized: false });
    expect(ok('rediss://h/0?ssl_cert_reqs=CERT_NONE').tls).toEqual({ rejectUnauthorized: false });
  });

  it('reads CA, certificate and key paths', () => {
    const target = ok(
      'rediss://:pw@h:6380/1?ssl_ca_certs=/etc/ca%20dir/ca.pem&ssl_certfile=/c.pem&ssl_keyfile=/k.pem',
    );
    expect(target).toEqual({
      kind: 'tcp',
      host: 'h',
      port: 6380,
      db: 1,
      password: 'pw',
      tls: { rejectUnauthorized: true, caFile: '/etc/ca dir/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' },
    });
  });

  it('rejects an unknown ssl_cert_reqs', () => {
    expect(reason('rediss://h/0?ssl_cert_reqs=maybe')).toMatch(
      /ssl_cert_reqs must be required, optional or none/,
    );
  });

  it('leaves plain redis:// without TLS even with ssl options', () => {
    expect(ok('redis://h/0?ssl_cert_reqs=none').tls).toBeUndefined();
  });
});

describe('parseRedisUrl: unix sockets', () => {
  it('reads the path and ?db=', () => {
    expect(ok('unix:///var/run/redis/redis.sock?db=2')).toEqual({
      kind: 'unix',
      path: '/var/run/redis/redis.sock',
      db: 2,
    });
    expect(ok('unix:///tmp/r.sock')).toEqual({ kind: 'unix', path: '/tmp/r.sock', db: 0 });
  });

  it('accepts redis+socket:// and socket://', () => {
    expect(ok('redis+socket:///tmp/r.sock?db=1')).toEqual({ kind: 'unix', path: '/tmp/r.sock', db: 1 });
    expect(ok('socket:///tmp/r.sock')).toEqual({ kind: 'unix', path: '/tmp/r.sock', db: 0 });
  });

  it('reads a password from userinfo or ?password=', () => {
    expect(ok('unix://:p%2Fw@/tmp/r.sock?db=1')).toEqual({
      kind: 'unix',
      path: '/tmp/r.sock',
      db: 1,
      password: 'p/w',
    });
    expect(ok('unix:///tmp/r.sock?password=pw')).toMatchObject({ password: 'pw' });
  });

  it('rejects a host or a missing path', () => {
    expect(reason('unix://localhost/tmp/r.sock')).toMatch(/has no host/);
    expect(reason('unix://')).toMatch(/absolute socket path/);
    expect(reason('unix:///tmp/r.sock?db=x')).toMatch(/database must be a whole number/);
  });
});

describe('parseRedisUrl: sentinel', () => {
  it('reads several sentinels, the db and password of the first URL, and the master name', () => {
    const target = ok('sentinel://:pw@s1:26380/2;sentinel://s2:26379;sentinel://s3?master_name=mymaster');
    expect(target).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26380 },
        { host: 's2', port: 26379 },
        { host: 's3', port: 26379 },
      ],
      masterName: 'mymaster',
      db: 2,
      password: 'pw',
    });
  });

  it('defaults to port 26379 and accepts service_name and the configured master name', () => {
    expect(ok('sentinel://s1?service_name=svc')).toMatchObject({
      sentinels: [{ host: 's1', port: 26379 }],
      masterName: 'svc',
    });
    expect(ok('sentinel://s1; sentinel://s2;', 'fromconfig')).toMatchObject({
      masterName: 'fromconfig',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
    });
    expect(ok('sentinel://s1?master_name=url', 'config').masterName).toBe('config');
  });

  it('requires a master name and says where to put it', () => {
    expect(reason('sentinel://s1:26379')).toMatch(/needs the master name: add \?master_name=NAME/);
  });

  it('rejects mixed schemes and contradicting URLs', () => {
    expect(reason('sentinel://s1;redis://s2?master_name=m')).toMatch(/only contain sentinel:\/\//);
    expect(reason('sentinel://s1/1;sentinel://s2/2?master_name=m')).toMatch(/different databases \(1, 2\)/);
    expect(reason('sentinel://:a@s1;sentinel://:b@s2?master_name=m')).toMatch(/different credentials/);
    expect(ok('sentinel://:a@s1/1;sentinel://:a@s2/1?master_name=m')).toMatchObject({ password: 'a', db: 1 });
  });
});

describe('parseRedisUrl: errors', () => {
  it('rejects unknown schemes, naming the accepted ones', () => {
    expect(reason('amqp://guest@rabbit//')).toMatch(/unsupported scheme 'amqp': use redis:\/\/, rediss:\/\//);
    expect(reason('localhost:6379')).toMatch(/expected scheme:\/\//);
    expect(reason('')).toMatch(/empty URL/);
  });

  it('rejects bad db numbers', () => {
    for (const url of [
      'redis://h/-1',
      'redis://h/x',
      'redis://h/1.5',
      'redis://h/1e3',
      'redis://h?db=-2',
      'redis://h/99999999999',
    ])
      expect(reason(url)).toMatch(/database must be a whole number 0 or more/);
    expect(reason('redis://h/0/1')).toMatch(/just the database number/);
  });

  it('rejects bad ports', () => {
    for (const url of [
      'redis://h:0',
      'redis://h:65536',
      'redis://h:abc',
      'redis://h:-1',
      'redis://h:'.concat('1'.repeat(12)),
    ])
      expect(reason(url)).toMatch(/port must be/);
  });

  it('rejects several non-sentinel URLs, bad hosts and bad escapes', () => {
    expect(reason('redis://a;redis://b')).toMatch(/only supported for sentinel/);
    expect(reason('redis://::1:6379')).toMatch(/IPv6 host must be written in brackets/);
    expect(reason('redis://[::1')).toMatch(/closing '\]'/);
    expect(reason('redis://:p%zz@h')).toMatch(/bad percent-encoding in the password/);
  });

  it('explains unencoded special characters in passwords', () => {
    expect(reason('redis://:ab#cd@h/0')).toMatch(/'#' is not allowed.*%23/);
    expect(reason('redis://:ab/cd@h/0')).toMatch(/found '@' after the host: percent-encode/);
  });

  it('never quotes the URL, so a password cannot leak through a reason', () => {
    const urls = [
      'redis://:hunter2x@h:hunter2x',
      'redis://:ab/hunter2x@h/0',
      'redis://:hunter2x@h/hunter2x',
      'hunter2x',
    ];
    for (const url of urls) expect(reason(url)).not.toContain('hunter2x');
  });

  it('never throws, whatever the input', () => {
    for (const url of [
      '\u0000',
      '://',
      'redis://@',
      'redis://:@',
      'sentinel://',
      'redis://[]:1',
      'redis://%',
    ])
      expect(() => parseRedisUrl(url)).not.toThrow();
  });
});
