/**
 * The filter language shared by the screen and the CLI: what each query matches, and the one
 * line a bad query is refused with.
 */
import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../src/store/model.js';
import { matchesFilter, type QueryTarget, recordTarget } from '../../src/store/task-query-match.js';
import { isEmptyFilter, parseTaskFilter } from '../../src/store/task-query-parse.js';
import { createTaskRecord } from '../../src/store/task-records.js';

function task(over: Partial<QueryTarget>): QueryTarget {
  return {
    id: 'id-0',
    name: 'shop.charge',
    state: 'SUCCESS',
    worker: 'w1@vm',
    queue: 'celery',
    argsRepr: null,
    kwargsRepr: null,
    args: null,
    kwargs: null,
    result: null,
    exception: null,
    runtime: null,
    retries: 0,
    ageSec: 10,
    ...over,
  };
}

const tasks: Record<string, QueryTarget> = {
  ok: task({ id: 'a1', state: 'SUCCESS', runtime: 0.5, args: [1, 'x'], kwargs: { user: 42, mode: 'fast' } }),
  slow: task({ id: 'a2', state: 'SUCCESS', runtime: 3, ageSec: 600, worker: 'w2@vm' }),
  timeout: task({
    id: 'b1',
    state: 'FAILURE',
    exception: "TimeoutError('gateway')",
    retries: 2,
    argsRepr: "(7, 'eur')",
    kwargsRepr: "{'user': 7}",
  }),
  boom: task({
    id: 'b2',
    name: 'mail.send',
    state: 'FAILURE',
    exception: "ValueError('boom')",
    queue: 'mail',
  }),
  waiting: task({
    id: 'c1',
    name: 'mail.send',
    state: 'PENDING',
    queue: 'mail',
    ageSec: null,
    stamps: { tenant: 'acme' },
  }),
  retrying: task({ id: 'c2', state: 'RETRY', retries: 1, runtime: null }),
};

function matching(query: string): string[] {
  const parsed = parseTaskFilter(query);
  if (!parsed.ok) throw new Error(parsed.error);
  return Object.entries(tasks)
    .filter(([, t]) => matchesFilter(parsed.filter, t))
    .map(([key]) => key);
}

function refusal(query: string): string {
  const parsed = parseTaskFilter(query);
  if (parsed.ok) throw new Error(`accepted: ${query}`);
  return parsed.error;
}

describe('task filter: what a query matches', () => {
  it.each([
    ['', ['ok', 'slow', 'timeout', 'boom', 'waiting', 'retrying']],
    ['state:FAILURE', ['timeout', 'boom']],
    ['s:failure,retry', ['timeout', 'boom', 'retrying']],
    ['-state:SUCCESS', ['timeout', 'boom', 'waiting', 'retrying']],
    ['-s:SUCCESS -s:FAILURE', ['waiting', 'retrying']],
    ['name:mail.send', ['boom', 'waiting']],
    ['name:mail.*', ['boom', 'waiting']],
    ['n:*.charge state:SUCCESS', ['ok', 'slow']],
    ['worker:w2@vm', ['slow']],
    ['w:w2@*', ['slow']],
    ['queue:mail state:PENDING', ['waiting']],
    ['id:a1,b2', ['ok', 'boom']],
    ['state:FAILURE OR state:RETRY', ['timeout', 'boom', 'retrying']],
    ['name:mail.send state:FAILURE OR state:RETRY', ['boom', 'retrying']],
    ['exception:TimeoutError', ['timeout']],
    ['exc:timeouterror,valueerror', ['timeout', 'boom']],
    ['-exception:TimeoutError state:FAILURE', ['boom']],
    ['args:1', ['ok']],
    ['args:x', ['ok']],
    ['args:eur', ['timeout']],
    ['args:7', ['timeout']],
    ['kwargs:user=42', ['ok']],
    ['kwargs:user=7', ['timeout']],
    ['kwargs:mode=f*', ['ok']],
    ['kwargs:mode', ['ok']],
    ['-kwargs:user=42 state:SUCCESS', ['slow']],
    ['stamp:tenant=acme', ['waiting']],
    ['stamp:tenant', ['waiting']],
    ['stamp:tenant=other', []],
    ['age:>5m', ['slow']],
    ['age:<=10s', ['ok', 'timeout', 'boom', 'retrying']],
    ['runtime:>2s', ['slow']],
    ['runtime:<1', ['ok']],
    ['runtime:>=500ms', ['ok', 'slow']],
    ['-runtime:>2s state:SUCCESS', ['ok']],
    ['retries:>0', ['timeout', 'retrying']],
    ['retries:2', ['timeout']],
    ['retries:>=1 OR exception:boom', ['timeout', 'boom', 'retrying']],
    ['gateway', ['timeout']],
    ['GATEWAY', ['timeout']],
    ['"ValueError(\'boom\')"', ['boom']],
    ['/^b\\d/', ['timeout', 'boom']],
    ['/timeouterror/i', ['timeout']],
    ['/timeouterror/', []],
    ['-/^a/', ['timeout', 'boom', 'waiting', 'retrying']],
    ['/a b|gate/', ['timeout']],
    ['"state:FAILURE"', []],
  ])('%s', (query, expected) => {
    expect(matching(query)).toEqual(expected);
  });

  it('an empty query is the empty filter', () => {
    const parsed = parseTaskFilter('   ');
    expect(parsed.ok && isEmptyFilter(parsed.filter)).toBe(true);
    const some = parseTaskFilter('state:X');
    expect(some.ok && isEmptyFilter(some.filter)).toBe(false);
  });

  it('reads a held record, its age taken from when it was sent', () => {
    const record: TaskRecord = Object.assign(createTaskRecord('r1', 100_000), {
      name: 'app.add',
      state: 'FAILURE',
      sentAt: 100,
    });
    const parsed = parseTaskFilter('name:app.add age:>60s age:<2m');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(matchesFilter(parsed.filter, recordTarget(record, 190_000))).toBe(true);
    expect(matchesFilter(parsed.filter, recordTarget(record, 100_000 + 30_000))).toBe(false);
  });
});

describe('task filter: a bad query is refused with one line', () => {
  it.each([
    ['foo:bar', 'unknown field "foo:"'],
    ['http://x', 'unknown field "http:"'],
    ['state:', '"state:" needs a value'],
    ['OR state:X', 'OR needs a token on each side'],
    ['state:X OR', 'OR needs a token on each side'],
    ['a OR OR b', 'OR needs a token on each side'],
    ['age:>5y', 'unit "y" unknown'],
    ['age:soon', 'is not a comparison'],
    ['retries:>1.5', 'whole number'],
    ['runtime:>', 'is not a comparison'],
    ['/(/', 'bad /regex/'],
    ['/abc', 'unclosed /regex/'],
    ['/a/g', 'regex flag "g" not supported'],
    ['//', 'empty /regex/'],
    [`/${'a'.repeat(201)}/`, 'longer than 200'],
    ['"unclosed', 'unclosed quote'],
    ['kwargs:=1', 'needs key=value'],
    ['args:', '"args:" needs a value'],
    ['a '.repeat(1001), 'longer than 2000'],
  ])('%s', (query, message) => {
    const error = refusal(query);
    expect(error).toContain(message);
    expect(error.startsWith('filter: ')).toBe(true);
    expect(error).not.toContain('\n');
  });

  it('quotes let a colon be text', () => {
    expect(parseTaskFilter('"http://x"').ok).toBe(true);
    expect(parseTaskFilter('"OR"').ok).toBe(true);
    expect(parseTaskFilter('OR').ok).toBe(false);
  });
});
