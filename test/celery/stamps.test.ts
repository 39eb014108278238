import { describe, expect, it } from 'vitest';
import { decodeResultMeta } from '../../src/celery/result-meta.js';
import {
  hasStamp,
  messageStamps,
  parseStampToken,
  revokeByStampRequest,
  stampsLine,
} from '../../src/celery/stamps.js';
import { decodeTaskMessage } from '../../src/celery/task-message.js';
import { parseTaskFilter } from '../../src/store/task-query-parse.js';

describe('canvas stamps', () => {
  it('a message: only the names in stamped_headers, as Celery Request.stamps reads them', () => {
    expect(
      messageStamps({
        stamped_headers: ['monitoring_id', 'gone'],
        stamps: { monitoring_id: 'mon-1', other: 'x' },
      }),
    ).toEqual({ monitoring_id: 'mon-1', gone: null });
    expect(messageStamps({ stamps: { a: 1 } })).toBeNull();
    expect(messageStamps({ stamped_headers: [], stamps: {} })).toBeNull();
  });

  it('decoded from a task message and an extended result meta', () => {
    const raw = JSON.stringify({
      body: JSON.stringify([[], {}, {}]),
      'content-type': 'application/json',
      headers: { task: 't', id: 'i', stamped_headers: ['m'], stamps: { m: ['a', 'b'] } },
      properties: { delivery_info: { exchange: '', routing_key: 'celery' } },
    });
    const m = decodeTaskMessage(raw);
    expect(m.ok && m.value.stamps).toEqual({ m: ['a', 'b'] });
    const meta = decodeResultMeta(
      JSON.stringify({
        status: 'SUCCESS',
        task_id: 'i',
        result: 1,
        name: 't',
        args: [],
        kwargs: {},
        stamped_headers: ['m'],
        m: 'v',
      }),
    );
    expect(meta.ok && meta.value.extended?.stamps).toEqual({ m: 'v' });
  });

  it('matches key=value, list stamps by item, non-strings by JSON', () => {
    expect(hasStamp({ m: 'mon-1' }, 'm', 'mon-1')).toBe(true);
    expect(hasStamp({ m: ['a', 'mon-1'] }, 'm', 'mon-1')).toBe(true);
    expect(hasStamp({ n: 5 }, 'n', '5')).toBe(true);
    expect(hasStamp({ m: 'mon-2' }, 'm', 'mon-1')).toBe(false);
    expect(hasStamp(null, 'm', 'mon-1')).toBe(false);
    expect(stampsLine({ a: 'x', b: [1] })).toBe('a=x  b=[1]');
  });

  it('the filter token stamp:key=value', () => {
    expect(parseStampToken('stamp:monitoring_id=mon=1')).toEqual({ key: 'monitoring_id', value: 'mon=1' });
    expect(parseStampToken('stamp:=x')).toBeNull();
    const parsed = parseTaskFilter('boom stamp:m=mon-1 state:failure');
    expect(parsed.ok && parsed.filter.alternatives[0]!.map((c) => c.term)).toContainEqual({
      kind: 'pair',
      field: 'stamp',
      key: 'm',
      value: 'mon-1',
    });
  });
});

describe('revokeByStampRequest', () => {
  it("Celery's revoke_by_stamped_headers arguments; repeated keys become a list", () => {
    expect(
      revokeByStampRequest([
        { key: 'm', value: 'a' },
        { key: 'm', value: 'b' },
        { key: 'n', value: 'c' },
      ]),
    ).toEqual({
      method: 'revoke_by_stamped_headers',
      arguments: { headers: { m: ['a', 'b'], n: 'c' }, terminate: false, signal: 'SIGTERM' },
    });
    expect(revokeByStampRequest([{ key: 'm', value: 'a' }], true, 'SIGKILL').arguments).toMatchObject({
      terminate: true,
      signal: 'SIGKILL',
    });
  });
});
