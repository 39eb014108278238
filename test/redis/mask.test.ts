import { describe, expect, it } from 'vitest';
import { maskSecrets, maskUrl, targetLabel, withPasswordPlaceholder } from '../../src/redis/mask.js';
import { parseRedisUrl, type RedisTarget } from '../../src/redis/url.js';

const SECRET = 'Hunter2-pw';

describe('maskUrl', () => {
  it.each([
    ['redis://:Hunter2-pw@h:6379/0', 'redis://:***@h:6379/0'],
    ['redis://celery:Hunter2-pw@h:6379/0', 'redis://celery:***@h:6379/0'],
    ['rediss://celery:Hunter2-pw@h/0?ssl_cert_reqs=none', 'rediss://celery:***@h/0?ssl_cert_reqs=none'],
    ['unix://:Hunter2-pw@/tmp/r.sock?db=1', 'unix://:***@/tmp/r.sock?db=1'],
    ['unix:///tmp/r.sock?db=1&password=Hunter2-pw', 'unix:///tmp/r.sock?db=1&password=***'],
    ['redis://h/0?password=Hunter2-pw&db=0', 'redis://h/0?password=***&db=0'],
    [
      'sentinel://:Hunter2-pw@s1:26379/0;sentinel://:Hunter2-pw@s2:26379;sentinel://s3',
      'sentinel://:***@s1:26379/0;sentinel://:***@s2:26379;sentinel://s3',
    ],
    ['redis://Hunter2-pw@h/0', 'redis://***@h/0'],
  ])('%s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
    expect(maskUrl(url)).not.toContain(SECRET);
  });

  it('masks passwords holding URL delimiters, encoded or not', () => {
    for (const url of [
      'redis://:Hunter2-pw%40x@h/0',
      'redis://:x@Hunter2-pw@h/0',
      'redis://:a;Hunter2-pw@h/0',
      'redis://u:Hunter2-pw:x@h/0',
    ])
      expect(maskUrl(url)).not.toContain(SECRET);
  });

  it('leaves URLs without secrets unchanged', () => {
    for (const url of [
      'redis://h:6379/0',
      'unix:///tmp/a@b.sock?db=0',
      'sentinel://s1;sentinel://s2?master_name=m',
    ])
      expect(maskUrl(url)).toBe(url);
  });

  it('masks :secret@ in text that is not a URL at all', () => {
    expect(maskUrl('h:Hunter2-pw@host')).toBe('h:***@host');
    expect(maskUrl('//:Hunter2-pw@x')).not.toContain(SECRET);
  });
});

describe('maskSecrets', () => {
  it('scrubs raw and percent-encoded secrets from any text', () => {
    const pw = 'p@ss/word';
    const text = `AUTH failed for p@ss/word (sent p%40ss%2Fword)`;
    expect(maskSecrets(text, [pw])).toBe('AUTH failed for *** (sent ***)');
  });

  it('also masks URL passwords and password= values it was not told about', () => {
    const out = maskSecrets(`cannot use redis://u:${SECRET}@h/0 or unix:///s?password=${SECRET}`, []);
    expect(out).toBe('cannot use redis://u:***@h/0 or unix:///s?password=***');
  });

  it('replaces a longer secret whole before a shorter one inside it', () => {
    expect(maskSecrets('abc-abcdef', ['abc', 'abcdef'])).toBe('***-***');
  });

  it('ignores empty and missing secrets', () => {
    expect(maskSecrets('plain text', ['', undefined])).toBe('plain text');
  });
});

describe('targetLabel', () => {
  const parse = (url: string): RedisTarget => {
    const result = parseRedisUrl(url);
    if (!result.ok) throw new Error(result.reason);
    return result.value;
  };

  it.each([
    ['redis://:Hunter2-pw@127.0.0.1:6390', 'redis://:***@127.0.0.1:6390/0'],
    ['redis://celery:Hunter2-pw@h/2', 'redis://celery:***@h:6379/2'],
    ['rediss://h:6380/1?ssl_cert_reqs=none', 'rediss://h:6380/1'],
    ['redis://[::1]:7000', 'redis://[::1]:7000/0'],
    ['unix://:Hunter2-pw@/tmp/r.sock?db=3', 'unix://:***@/tmp/r.sock?db=3'],
    [
      'sentinel://:Hunter2-pw@s1/1;sentinel://s2:26380?master_name=my%20master',
      'sentinel://:***@s1:26379/1;sentinel://s2:26380?master_name=my%20master',
    ],
  ])('%s -> %s', (url, label) => {
    expect(targetLabel(parse(url))).toBe(label);
  });

  it('gives a label that parses back to the same target (password aside)', () => {
    for (const url of [
      'redis://u:x@h:1/2',
      'unix://:x@/tmp/r.sock?db=3',
      'sentinel://:x@s1/1;sentinel://s2?master_name=m',
    ]) {
      const target = parse(url);
      expect(parse(targetLabel(target, 'x'))).toEqual(target);
    }
  });

  it('shows where a password goes for NOAUTH', () => {
    expect(withPasswordPlaceholder(parse('redis://h:6390/2'))).toBe('redis://:PASSWORD@h:6390/2');
    expect(withPasswordPlaceholder(parse('redis://celery@h/0'))).toBe('redis://celery:PASSWORD@h:6379/0');
  });
});

describe('maskSecrets inside JSON text', () => {
  it('does not mistake a host:port URL followed by a worker name for a password', () => {
    const text = JSON.stringify({ broker: 'redis://127.0.0.1:6391/0', workers: [{ hostname: 'w1@vm' }] });
    expect(maskSecrets(text, [])).toBe(text);
  });

  it('still masks a real password in JSON text', () => {
    const text = JSON.stringify({ broker: 'redis://:s3cret@127.0.0.1:6391/0', hostname: 'w1@vm' });
    const masked = maskSecrets(text, []);
    expect(masked).not.toContain('s3cret');
    expect(JSON.parse(masked)).toEqual({ broker: 'redis://:***@127.0.0.1:6391/0', hostname: 'w1@vm' });
  });
});
