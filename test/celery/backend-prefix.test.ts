import { describe, expect, it } from 'vitest';
import { detectFanoutPrefix, mailboxChannelPattern } from '../../src/celery/fanout-detect.js';
import {
  backendKeyprefix,
  eventChannelPattern,
  groupResultKey,
  pidboxChannel,
  resultChannelPattern,
  resultKey,
  resultKeyPattern,
  taskIdOfResultKey,
} from '../../src/celery/names.js';
import { wireOptions } from '../../src/celery/options.js';

describe('result backend global_keyprefix (Celery >= 5.3)', () => {
  it("appends '_' unless the prefix ends in one of :_-. (celery/backends/base.py)", () => {
    expect(['', 'app', 'app:', 'app_', 'app-', 'app.'].map(backendKeyprefix)).toEqual([
      '',
      'app_',
      'app:',
      'app_',
      'app-',
      'app.',
    ]);
  });

  it('prefixes task and group keys, the scan and channel patterns (glob-escaped)', () => {
    const p = backendKeyprefix('a[1]*');
    expect(resultKey('t1', p)).toBe('a[1]*_celery-task-meta-t1');
    expect(resultKeyPattern(p)).toBe('a\\[1\\]\\*_celery-task-meta-*');
    expect(resultChannelPattern(p)).toBe(resultKeyPattern(p));
    expect(groupResultKey('g', 'x:')).toBe('x:celery-taskset-meta-g');
    expect(taskIdOfResultKey('x:celery-task-meta-t1', 'x:')).toBe('t1');
    expect(taskIdOfResultKey('celery-task-meta-t1', 'x:')).toBeNull();
    expect(resultKey('t1')).toBe('celery-task-meta-t1');
  });
});

describe('Sentinel with kombu < 5.4: the literal /{db}. fanout prefix', () => {
  it('the option keeps {db} unformatted in every fanout channel', () => {
    const literal = wireOptions({ db: 3, fanoutPrefixLiteral: true });
    expect(pidboxChannel(literal)).toBe('/{db}.celery.pidbox');
    expect(eventChannelPattern(literal)).toBe('/{db}.celeryev/*');
    expect(pidboxChannel(wireOptions({ db: 3 }))).toBe('/3.celery.pidbox');
  });

  it('detected from the mailbox channels workers are subscribed to', () => {
    const opts = wireOptions({ db: 0 });
    expect(mailboxChannelPattern(opts)).toBe('*celery.pidbox');
    expect(detectFanoutPrefix(opts, ['/{db}.celery.pidbox']).mismatch).toContain('--fanout-prefix-literal');
    expect(detectFanoutPrefix(opts, ['/0.celery.pidbox'])).toEqual({ seen: 'formatted', mismatch: null });
    expect(detectFanoutPrefix(opts, [])).toEqual({ seen: null, mismatch: null });
    const literal = wireOptions({ fanoutPrefixLiteral: true });
    expect(detectFanoutPrefix(literal, ['/{db}.celery.pidbox']).mismatch).toBeNull();
    expect(detectFanoutPrefix(literal, ['/0.celery.pidbox']).mismatch).toContain(
      'drop --fanout-prefix-literal',
    );
  });
});
