import { describe, expect, it } from 'vitest';
import {
  bindingKey,
  bindingMember,
  bindingScanPattern,
  eventChannel,
  eventChannelPattern,
  eventRoutingKey,
  exchangeOfBindingKey,
  fanoutPrefix,
  globEscape,
  groupResultKey,
  isTaskExchange,
  mailboxBindingKey,
  mailboxExchange,
  nodeOfMailboxMember,
  pidboxChannel,
  priorityStep,
  queueListKey,
  queueListKeys,
  replyBindingKey,
  replyBindingMember,
  replyExchange,
  replyQueueKeys,
  replyQueueName,
  resultChannelPattern,
  resultKey,
  resultKeyPattern,
  stripKeyPrefix,
  taskIdOfResultKey,
  unackedIndexKey,
  unackedKey,
} from '../../src/celery/names.js';
import { wireOptions } from '../../src/celery/options.js';
import { loadManifest } from './fixture-files.js';

const SEP = '\x06\x16';
const defaults = wireOptions();
const db3 = wireOptions({ db: 3 });
const pfx = wireOptions({ db: 5, globalKeyprefix: 'pfx:' });

describe('priorityStep', () => {
  it('buckets 0..9 into the default steps [0, 3, 6, 9] (wire doc 2)', () => {
    const got = Array.from({ length: 10 }, (_, p) => priorityStep(defaults, p));
    expect(got).toEqual([0, 0, 0, 3, 3, 3, 6, 6, 6, 9]);
  });

  it('clamps out-of-range priorities: 255 -> 9, negative -> 0, fractions truncate, NaN -> 0', () => {
    expect(priorityStep(defaults, 255)).toBe(9);
    expect(priorityStep(defaults, 10)).toBe(9);
    expect(priorityStep(defaults, -4)).toBe(0);
    expect(priorityStep(defaults, 5.9)).toBe(3);
    expect(priorityStep(defaults, Number.NaN)).toBe(0);
    expect(priorityStep(defaults, Number.POSITIVE_INFINITY)).toBe(0);
  });

  it('gives every priority its own step with priority_steps 0..9', () => {
    const opts = wireOptions({ prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    expect(Array.from({ length: 10 }, (_, p) => priorityStep(opts, p))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('wraps below the first step to the last one, as kombu bisect does', () => {
    expect(priorityStep(wireOptions({ prioritySteps: [3, 6, 9] }), 1)).toBe(9);
  });
});

describe('queue lists', () => {
  it('has no suffix for step 0 and queue+SEP+step otherwise', () => {
    expect(queueListKey(defaults, 'celery', 0)).toBe('celery');
    expect(queueListKey(defaults, 'celery', 6)).toBe(`celery${SEP}6`);
  });

  it('matches the list of the captured priority-7 message', () => {
    const entry = loadManifest().find((e) => e.file === 'task-message-priority7.json')!;
    expect(queueListKey(defaults, 'celery', priorityStep(defaults, 7))).toBe(entry.key_or_channel);
    expect(entry.key_or_channel).toBe('celery\u0006\u00166');
  });

  it('lists every priority list in BRPOP order', () => {
    expect(queueListKeys(defaults, 'q')).toEqual([
      { step: 0, key: 'q' },
      { step: 3, key: `q${SEP}3` },
      { step: 6, key: `q${SEP}6` },
      { step: 9, key: `q${SEP}9` },
    ]);
  });

  it("honours sep ':' (measured: septest:5 with all steps) and the global prefix", () => {
    const opts = wireOptions({ sep: ':', prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    expect(queueListKey(opts, 'septest', 5)).toBe('septest:5');
    expect(queueListKeys(opts, 'septest').map((e) => e.key)).toHaveLength(10);
    expect(queueListKey(pfx, 'celery', 0)).toBe('pfx:celery');
    expect(queueListKey(pfx, 'celery', 3)).toBe(`pfx:celery${SEP}3`);
  });
});

describe('bindings', () => {
  it('names the binding set and its member (wire doc 3.1, 5.2 step 5)', () => {
    expect(bindingKey(defaults, 'celery')).toBe('_kombu.binding.celery');
    expect(bindingMember(defaults, 'celery', '', 'celery')).toBe(`celery${SEP}${SEP}celery`);
  });

  it('prefixes the key but never the member', () => {
    expect(bindingKey(pfx, 'celery')).toBe('pfx:_kombu.binding.celery');
    expect(bindingMember(pfx, 'celery', '', 'celery')).toBe(`celery${SEP}${SEP}celery`);
    expect(bindingMember(wireOptions({ sep: ':' }), 'septest', '', 'septest')).toBe('septest::septest');
  });

  it('builds a SCAN pattern with the prefix glob-escaped', () => {
    expect(bindingScanPattern(defaults)).toBe('_kombu.binding.*');
    expect(bindingScanPattern(pfx)).toBe('pfx:_kombu.binding.*');
    expect(bindingScanPattern(wireOptions({ globalKeyprefix: 'a*b?[c]\\' }))).toBe(
      'a\\*b\\?\\[c\\]\\\\_kombu.binding.*',
    );
  });

  it('reads the exchange back from a binding key', () => {
    expect(exchangeOfBindingKey(pfx, 'pfx:_kombu.binding.other')).toBe('other');
    expect(exchangeOfBindingKey(pfx, '_kombu.binding.other')).toBeNull();
    expect(exchangeOfBindingKey(defaults, 'celery')).toBeNull();
  });

  it('tells task exchanges from event and pidbox ones', () => {
    expect(isTaskExchange(defaults, 'celery')).toBe(true);
    expect(isTaskExchange(defaults, 'parked')).toBe(true);
    expect(isTaskExchange(defaults, 'celeryev')).toBe(false);
    expect(isTaskExchange(defaults, 'celery.pidbox')).toBe(false);
    expect(isTaskExchange(defaults, 'reply.celery.pidbox')).toBe(false);
    const custom = wireOptions({ controlExchange: 'ctl', eventExchange: 'ev' });
    expect(isTaskExchange(custom, 'ev')).toBe(false);
    expect(isTaskExchange(custom, 'celeryev')).toBe(true);
    expect(isTaskExchange(custom, 'ctl.pidbox')).toBe(false);
    expect(isTaskExchange(custom, 'reply.ctl.pidbox')).toBe(false);
  });

  it('finds worker nodes in the mailbox binding set', () => {
    expect(mailboxBindingKey(defaults)).toBe('_kombu.binding.celery.pidbox');
    expect(nodeOfMailboxMember(defaults, `${SEP}${SEP}w1@vm.celery.pidbox`)).toBe('w1@vm');
    expect(nodeOfMailboxMember(defaults, `x${SEP}${SEP}w1@vm.celery.pidbox`)).toBeNull();
    expect(nodeOfMailboxMember(defaults, `${SEP}${SEP}w1@vm.other.pidbox`)).toBeNull();
    expect(nodeOfMailboxMember(defaults, `${SEP}${SEP}.celery.pidbox`)).toBeNull();
    const ctl = wireOptions({ controlExchange: 'ctl' });
    expect(nodeOfMailboxMember(ctl, `${SEP}${SEP}w2@vm.ctl.pidbox`)).toBe('w2@vm');
  });
});

describe('fanout channels', () => {
  it('reproduces every event and pidbox channel of the manifest', () => {
    for (const entry of loadManifest()) {
      const opts = wireOptions({ db: entry.db });
      if (entry.key_or_channel.includes('.celeryev/')) {
        const routingKey = entry.key_or_channel.split('.celeryev/')[1]!;
        expect(eventChannel(opts, routingKey)).toBe(entry.key_or_channel);
      } else if (entry.key_or_channel.endsWith('.celery.pidbox') && entry.redis_command === 'PUBLISH') {
        expect(pidboxChannel(opts)).toBe(entry.key_or_channel);
      }
    }
    expect(eventChannel(db3, 'task.multi')).toBe('/3.celeryev/task.multi');
  });

  it('prefixes channels with global_keyprefix (measured: pfx:/5.celeryev/worker.online)', () => {
    expect(eventChannel(pfx, 'worker.online')).toBe('pfx:/5.celeryev/worker.online');
    expect(pidboxChannel(pfx)).toBe('pfx:/5.celery.pidbox');
    expect(eventChannelPattern(pfx)).toBe('pfx:/5.celeryev/*');
  });

  it('subscribes to /{db}.celeryev/* by default', () => {
    expect(eventChannelPattern(defaults)).toBe('/0.celeryev/*');
    expect(eventChannelPattern(db3)).toBe('/3.celeryev/*');
  });

  it('drops the prefix with fanout_prefix false and substitutes {db} in a string', () => {
    const off = wireOptions({ fanoutPrefix: false });
    expect(fanoutPrefix(off)).toBe('');
    expect(eventChannel(off, 'task.multi')).toBe('celeryev/task.multi');
    expect(pidboxChannel(off)).toBe('celery.pidbox');
    const custom = wireOptions({ db: 7, fanoutPrefix: 'app{db}:' });
    expect(eventChannel(custom, 'task.sent')).toBe('app7:celeryev/task.sent');
    expect(pidboxChannel(custom)).toBe('app7:celery.pidbox');
  });

  it('shares one channel without fanout_patterns, and the pattern is then that channel', () => {
    const opts = wireOptions({ fanoutPatterns: false });
    expect(eventChannel(opts, 'task.multi')).toBe('/0.celeryev');
    expect(eventChannel(opts, 'worker.heartbeat')).toBe('/0.celeryev');
    expect(eventChannelPattern(opts)).toBe('/0.celeryev');
    expect(pidboxChannel(opts)).toBe('/0.celery.pidbox');
  });

  it('glob-escapes the literal parts of the pattern', () => {
    const opts = wireOptions({ globalKeyprefix: 'a[1]', eventExchange: 'ev*', fanoutPrefix: '?{db}' });
    expect(eventChannelPattern(opts)).toBe('a\\[1\\]\\?0ev\\*/*');
    expect(eventChannel(opts, 'task.multi')).toBe('a[1]?0ev*/task.multi');
  });

  it('renames the exchanges with control_exchange and event_exchange', () => {
    const opts = wireOptions({ controlExchange: 'ctl', eventExchange: 'ev' });
    expect(mailboxExchange(opts)).toBe('ctl.pidbox');
    expect(replyExchange(opts)).toBe('reply.ctl.pidbox');
    expect(pidboxChannel(opts)).toBe('/0.ctl.pidbox');
    expect(eventChannel(opts, 'worker.online')).toBe('/0.ev/worker.online');
    expect(eventChannelPattern(opts)).toBe('/0.ev/*');
  });

  it('maps event types to routing keys', () => {
    expect(eventRoutingKey('task-sent')).toBe('task.sent');
    expect(eventRoutingKey('worker-heartbeat')).toBe('worker.heartbeat');
  });
});

describe('pidbox replies', () => {
  const oid = '1a14e7f1-7357-3a8b-a533-7a5edfefd5c6';

  it('names the reply binding and queue (wire doc 7.2)', () => {
    expect(replyBindingKey(defaults)).toBe('_kombu.binding.reply.celery.pidbox');
    expect(replyQueueName(defaults, oid)).toBe(`${oid}.reply.celery.pidbox`);
    expect(replyBindingMember(defaults, oid)).toBe(`${oid}${SEP}${SEP}${oid}.reply.celery.pidbox`);
  });

  it('matches the reply lists of the manifest', () => {
    const replies = loadManifest().filter((e) => e.file.startsWith('pidbox-reply-'));
    expect(replies.length).toBeGreaterThan(10);
    for (const entry of replies) {
      const id = entry.key_or_channel.split('.')[0]!;
      expect(replyQueueKeys(defaults, id)[0]).toBe(entry.key_or_channel);
    }
  });

  it('lists the priority variants, prefixed', () => {
    expect(replyQueueKeys(pfx, 'o')).toEqual([
      'pfx:o.reply.celery.pidbox',
      `pfx:o.reply.celery.pidbox${SEP}3`,
      `pfx:o.reply.celery.pidbox${SEP}6`,
      `pfx:o.reply.celery.pidbox${SEP}9`,
    ]);
    expect(replyBindingKey(pfx)).toBe('pfx:_kombu.binding.reply.celery.pidbox');
    expect(replyBindingMember(wireOptions({ controlExchange: 'ctl', sep: ':' }), 'o')).toBe(
      'o::o.reply.ctl.pidbox',
    );
  });
});

describe('ack emulation and results', () => {
  it('names unacked and unacked_index, prefixed', () => {
    const unacked = loadManifest().find((e) => e.file === 'unacked-hash-value.json')!;
    expect(unackedKey(defaults)).toBe(unacked.key_or_channel);
    expect(unackedIndexKey(defaults)).toBe('unacked_index');
    expect(unackedKey(pfx)).toBe('pfx:unacked');
    expect(unackedIndexKey(wireOptions({ globalKeyprefix: 'p:', unackedIndexKey: 'ui' }))).toBe('p:ui');
  });

  it('never prefixes result keys in 5.2 and matches the manifest', () => {
    for (const entry of loadManifest().filter((e) => e.file.startsWith('result-meta-'))) {
      const id = taskIdOfResultKey(entry.key_or_channel)!;
      expect(resultKey(id)).toBe(entry.key_or_channel);
    }
    const group = loadManifest().find((e) => e.file === 'result-group-meta.json')!;
    expect(groupResultKey('2529b1e8-9b97-4f33-a97f-fe2f808b938f')).toBe(group.key_or_channel);
    expect(resultKeyPattern()).toBe('celery-task-meta-*');
    expect(resultChannelPattern()).toBe('celery-task-meta-*');
    expect(taskIdOfResultKey('celery-taskset-meta-x')).toBeNull();
    expect(taskIdOfResultKey('celery-task-meta-')).toBeNull();
  });
});

describe('helpers', () => {
  it('strips the global prefix, or says the key is foreign', () => {
    expect(stripKeyPrefix(pfx, 'pfx:celery')).toBe('celery');
    expect(stripKeyPrefix(pfx, 'celery')).toBeNull();
    expect(stripKeyPrefix(defaults, 'celery')).toBe('celery');
  });

  it('escapes every Redis glob metacharacter', () => {
    expect(globEscape('plain.name_1:/')).toBe('plain.name_1:/');
    expect(globEscape('*?[]\\')).toBe('\\*\\?\\[\\]\\\\');
  });
});
