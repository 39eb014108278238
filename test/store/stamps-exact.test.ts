import { describe, expect, it } from 'vitest';
import { parseJsonExact } from '../../src/celery/json-exact.js';
import type { Json } from '../../src/celery/types.js';
import { jsonLine } from '../../src/output/json-line.js';
import { type SnapshotMeta, selectSnapshot } from '../../src/snapshot/select-snapshot.js';
import { createModel } from '../../src/store/create-model.js';
import { reduce } from '../../src/store/reducer.js';
import { selectTaskDetail, selectTasks } from '../../src/store/select-tasks.js';
import { parseTaskFilter } from '../../src/store/task-query-parse.js';
import { schemaErrors } from '../helpers/schema.js';
import { T0 } from './fixture-events.js';
import { peeked, resultMeta, resultsAction } from './task-fixtures.js';

/** Stamps and exact numbers from a queue peek and a result meta, through the store to JSON. */
const big = '123456789012345678901';

function model() {
  const m = createModel(T0);
  reduce(m, {
    type: 'queues/sampled',
    at: T0 + 100,
    undecodableBindings: 0,
    queues: [
      {
        name: 'celery',
        exchanges: ['celery'],
        lengths: { 0: 2 },
        peek: [
          peeked('s-1', { stamps: { monitoring_id: 'mon-1' }, args: parseJsonExact(`[${big}]`) as Json[] }),
          peeked('s-2', { position: 1, stamps: { monitoring_id: ['mon-2', 'mon-3'] } }),
          peeked('s-3', { position: 2, argsRepr: null, args: parseJsonExact('[NaN, 1]') as Json[] }),
        ],
      },
    ],
  });
  const meta = resultMeta('s-4', 'SUCCESS', { result: parseJsonExact('NaN') });
  meta.extended = {
    name: 'app.x',
    args: [],
    kwargs: {},
    worker: 'w',
    retries: 0,
    queue: 'celery',
    stamps: { m: 'r' },
  };
  reduce(m, resultsAction(T0 + 200, 'scan', meta));
  return m;
}

describe('stamps and exact numbers in the store', () => {
  it('rows carry stamps; stamp:key=value filters, list stamps by item', () => {
    const m = model();
    const ids = (text: string) => {
      const parsed = parseTaskFilter(text);
      if (!parsed.ok) throw new Error(parsed.error);
      return selectTasks(m, T0 + 300, { filter: parsed.filter }).rows.map((r) => r.id);
    };
    expect(ids('stamp:monitoring_id=mon-1')).toEqual(['s-1']);
    expect(ids('stamp:monitoring_id=mon-3')).toEqual(['s-2']);
    expect(ids('stamp:m=r')).toEqual(['s-4']);
    expect(ids('')).toHaveLength(4);
    expect(selectTasks(m, T0 + 300).rows.find((r) => r.id === 's-3')?.stamps).toBeNull();
  });

  it('detail and args preview show the exact digits and NaN', () => {
    const m = model();
    expect(selectTaskDetail(m, 's-1', T0 + 300)?.argsText).toBe(`[\n  ${big}\n]`);
    expect(selectTaskDetail(m, 's-1', T0 + 300)?.stamps).toEqual({ monitoring_id: 'mon-1' });
    expect(selectTasks(m, T0 + 300).rows.find((r) => r.id === 's-3')?.argsPreview).toContain('[NaN,1]');
    expect(selectTaskDetail(m, 's-4', T0 + 300)?.result).toBe('NaN');
  });

  it('--json: valid against the schema, stamps in rows and peeks, big integers exact', () => {
    const meta: SnapshotMeta = {
      qtopVersion: '0.1.0',
      broker: 'redis://127.0.0.1:6390/0',
      backend: 'redis://127.0.0.1:6390/0',
      backendNote: null,
      label: null,
      readOnly: false,
      hideArgs: false,
      windowMs: 120,
      complete: true,
      taskLimit: 50,
    };
    const snapshot = selectSnapshot(model(), T0 + 300, meta);
    const line = jsonLine(snapshot);
    // What a reader of stdout gets (ExactNumber objects exist only in memory).
    expect(schemaErrors(JSON.parse(line))).toEqual([]);
    expect(line).toContain(`"args":[${big}]`);
    expect(line).toContain('"stamps":{"monitoring_id":"mon-1"}');
    expect(line).toContain('"args":["NaN",1]');
    expect(JSON.parse(line).tasks.rows.find((r: { id: string }) => r.id === 's-1').stamps).toEqual({
      monitoring_id: 'mon-1',
    });
  });
});
