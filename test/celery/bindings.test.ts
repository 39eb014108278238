import { describe, expect, it } from 'vitest';
import { decodeBinding } from '../../src/celery/bindings.js';
import { defaultWireOptions } from '../../src/celery/options.js';
import { expectFail, expectOk } from './fixture-files.js';

const SEP = defaultWireOptions.sep;

describe('decodeBinding', () => {
  it('a direct queue: routing key, empty pattern, queue', () => {
    expect(expectOk(decodeBinding(`celery${SEP}${SEP}celery`, SEP))).toEqual({
      routingKey: 'celery',
      pattern: '',
      queue: 'celery',
    });
  });

  it('a worker mailbox member has an empty routing key (wire doc 3.1)', () => {
    expect(expectOk(decodeBinding(`${SEP}${SEP}w1@vm.celery.pidbox`, SEP)).queue).toBe('w1@vm.celery.pidbox');
  });

  it('a custom sep (wire doc 2: sep=":")', () => {
    expect(expectOk(decodeBinding('septest::septest', ':'))).toEqual({
      routingKey: 'septest',
      pattern: '',
      queue: 'septest',
    });
  });

  it('anything but three parts fails', () => {
    expect(expectFail(decodeBinding(`celery${SEP}celery`, SEP))).toBe(
      'binding member has 2 parts, expected 3',
    );
    expect(expectFail(decodeBinding(`a${SEP}b${SEP}c${SEP}d`, SEP))).toBe(
      'binding member has 4 parts, expected 3',
    );
    expect(expectFail(decodeBinding('', SEP))).toBe('binding member has 1 parts, expected 3');
  });

  it('bad arguments fail', () => {
    expect(expectFail(decodeBinding(42 as unknown as string, SEP))).toBe(
      'binding member is not a string (number)',
    );
    expect(expectFail(decodeBinding('a::b', ''))).toBe('binding separator is empty');
  });
});
