import { describe, expect, it } from 'vitest';
import { ioredisOptions } from '../../src/redis/client.js';
import { classifyRedisError } from '../../src/redis/connect-error.js';
import { maskUrl } from '../../src/redis/mask.js';
import { parseRedisUrl, type RedisTarget } from '../../src/redis/url.js';

function target(url: string): RedisTarget {
  const result = parseRedisUrl(url);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

const reason = (url: string) => {
  const result = parseRedisUrl(url);
  return result.ok ? null : result.reason;
};

// kombu (redis-py Sentinel with sentinel_kwargs=None) sends the URL's password to the master and
// its replicas only; sentinels that have a password of their own get it from ?sentinel_password=.
describe('sentinel credentials', () => {
  it('reads sentinel_password and sentinel_username from any of the URLs, apart from the master password', () => {
    const t = target('sentinel://:master-pw@s1:26380/1;sentinel://s2?master_name=m&sentinel_password=s%3Apw');
    expect(t).toMatchObject({ password: 'master-pw', sentinelPassword: 's:pw', masterName: 'm', db: 1 });
    expect(t.sentinelUsername).toBeUndefined();
    const both = target(
      'sentinel://s1?sentinel_username=mon&sentinel_password=x;sentinel://s2?master_name=m',
    );
    expect(both).toMatchObject({ sentinelUsername: 'mon', sentinelPassword: 'x' });
    expect(both.password).toBeUndefined();
  });

  it('refuses two different sentinel passwords', () => {
    expect(reason('sentinel://s1?sentinel_password=a;sentinel://s2?sentinel_password=b&master_name=m')).toBe(
      'the sentinel URLs give different values for sentinel_password: give it once',
    );
  });

  it('gives ioredis the sentinel credentials and the master password separately', () => {
    const options = ioredisOptions(
      target('sentinel://:mpw@s1;sentinel://s2?master_name=m&sentinel_username=mon&sentinel_password=spw'),
      { interactive: false, connectTimeoutMs: 2_000 },
    );
    expect(options).toMatchObject({
      password: 'mpw',
      sentinelPassword: 'spw',
      sentinelUsername: 'mon',
      sentinelCommandTimeout: 2_000,
    });
    const without = ioredisOptions(target('sentinel://:mpw@s1?master_name=m'), { interactive: false });
    expect(without.sentinelPassword).toBeUndefined();
  });

  it('masks the sentinel password in printed URLs', () => {
    expect(maskUrl('sentinel://:mpw@s1;sentinel://s2?master_name=m&sentinel_password=spw')).toBe(
      'sentinel://:***@s1;sentinel://s2?master_name=m&sentinel_password=***',
    );
  });

  it("classifies a sentinel's own refusal as auth, pointing at sentinel_password, with no secret shown", () => {
    const t = target('sentinel://:mpw@s1:26379;sentinel://s2?master_name=m&sentinel_password=spw');
    const error = new Error(
      'All sentinels are unreachable and retry is disabled. Last error: WRONGPASS invalid username-password pair (spw)',
    );
    const failure = classifyRedisError(error, t);
    expect(failure.code).toBe('auth');
    expect(failure.message).toMatch(
      /^a Sentinel at sentinel:\/\/:\*\*\*@s1:26379\/0;.* refused qtop \(WRONGPASS\)/,
    );
    expect(failure.message).toContain('?sentinel_password=');
    expect(failure.message).not.toContain('spw');
  });
});

describe('a server that stops answering', () => {
  it('is a dropped connection after the connect timeout while a command waits (socketTimeout)', () => {
    expect(
      ioredisOptions(target('redis://h/0'), { interactive: false, connectTimeoutMs: 1234 }).socketTimeout,
    ).toBe(1234);
  });

  it('is classified as a timeout with one line', () => {
    const error = new Error("Socket timeout. Expecting data, but didn't receive any in 5000ms.");
    expect(classifyRedisError(error, target('redis://:pw@h:6380/2'))).toEqual({
      code: 'timeout',
      message:
        'Redis at redis://:***@h:6380/2 stopped answering: no reply within 5000 ms (frozen, overloaded, or a network partition)',
    });
  });
});
