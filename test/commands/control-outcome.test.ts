import { describe, expect, it } from 'vitest';
import { consumes } from '../../commands/control/consumers.js';
import {
  exitCodeOf,
  fromReplies,
  isNoPerm,
  kindOf,
  noPermReason,
  replyMessage,
} from '../../commands/control/outcome.js';
import { inexactReprNumber } from '../../commands/control/retry-sources.js';
import type { WorkerReply } from '../../src/control/controls.js';

const ok = (node: string, message = 'pong'): WorkerReply => ({ node, status: 'ok', message });

describe('fromReplies', () => {
  it('is done when every worker answered ok', () => {
    expect(fromReplies('pong from all', [ok('a'), ok('b')])).toMatchObject({
      ok: true,
      kind: 'done',
      summary: 'pong from all',
    });
  });

  it('is partial, naming who failed, when a worker errs or stays silent', () => {
    const replies: WorkerReply[] = [
      ok('a'),
      { node: 'b', status: 'error', message: 'unknown task' },
      { node: 'c', status: 'no-reply', message: 'no reply within 1.0 s' },
    ];
    const result = fromReplies('done', replies);
    expect(result.kind).toBe('partial');
    expect(result.summary).toBe(
      'done on 1 of 3 workers; 1 replied with an error: unknown task; 1 did not reply (c)',
    );
  });

  it('is not-found when every worker gives the not-found error', () => {
    const errors: WorkerReply[] = ['a', 'b'].map((node) => ({
      node,
      status: 'error',
      message: 'unknown task',
    }));
    expect(fromReplies('x', errors, undefined, /unknown task/).kind).toBe('not-found');
    expect(fromReplies('x', [...errors, ok('c')], undefined, /unknown task/).kind).toBe('partial');
  });
});

describe('exit codes', () => {
  it('maps every kind to its documented code', () => {
    const codes = Object.fromEntries(
      (
        [
          'done',
          'error',
          'refused',
          'unreachable',
          'no-permission',
          'partial',
          'not-found',
          'interrupted',
        ] as const
      ).map((kind) => [kind, exitCodeOf({ ok: kind === 'done', kind, summary: '', replies: [] })]),
    );
    expect(codes).toEqual({
      done: 0,
      error: 1,
      refused: 2,
      unreachable: 3,
      'no-permission': 4,
      partial: 5,
      'not-found': 6,
      interrupted: 130,
    });
    expect(kindOf({ ok: false, summary: '', replies: [] })).toBe('error');
    expect(kindOf({ ok: true, summary: '', replies: [] })).toBe('done');
  });
});

describe('replyMessage', () => {
  it('shows {ok} texts as is and anything else as bounded JSON', () => {
    expect(replyMessage({ ok: 'pool will grow' })).toBe('pool will grow');
    expect(replyMessage(null)).toBe('null');
    expect(replyMessage([1, 2])).toBe('[1,2]');
    expect(replyMessage('x'.repeat(300))).toHaveLength(200);
  });
});

describe('NOPERM detection', () => {
  it('recognises the ACL error, also inside a discarded MULTI', () => {
    const noperm = new Error("NOPERM this user has no permissions to run the 'del' command");
    expect(isNoPerm(noperm)).toBe(true);
    const execabort = Object.assign(new Error('EXECABORT Transaction discarded'), {
      previousErrors: [noperm],
    });
    expect(isNoPerm(execabort)).toBe(true);
    expect(isNoPerm(new Error('ERR wrong number of arguments'))).toBe(false);
    expect(noPermReason(execabort)).toContain(
      "(NOPERM this user has no permissions to run the 'del' command)",
    );
  });
});

describe('consumes (active_queues replies)', () => {
  it('finds a queue by name in the declarations', () => {
    expect(consumes([{ name: 'celery', routing_key: 'celery' }], 'celery')).toBe(true);
    expect(consumes([{ name: 'other' }], 'celery')).toBe(false);
    expect(consumes({ error: 'x' }, 'celery')).toBe(false);
  });
});

describe('inexactReprNumber (retry from reprs)', () => {
  it('finds whole floats that JSON would turn into ints, outside strings', () => {
    expect(inexactReprNumber("(1.0, 'a')")).toBe('1.0');
    expect(inexactReprNumber("{'x': 1e+16}")).toBe('1e+16');
    expect(inexactReprNumber('(1.5, 2, \'3.0\', "4.0")')).toBeNull();
    expect(inexactReprNumber("('it\\'s 5.0',)")).toBeNull();
  });
});
