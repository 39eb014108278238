import { describe, expect, it } from 'vitest';
import { type SnapshotMeta, selectSnapshot } from '../../src/snapshot/select-snapshot.js';
import { createModel } from '../../src/store/create-model.js';
import { reduce } from '../../src/store/reducer.js';
import { schemaErrors } from '../helpers/schema.js';
import { inspected, inspectReplies, received, T0, taskEvents, workerEvent } from './fixture-events.js';
import { fixtureMeta, peeked, resultsAction } from './task-fixtures.js';

const meta: SnapshotMeta = {
  qtopVersion: '0.1.0',
  broker: 'redis://:***@127.0.0.1:6390/0',
  backend: 'redis://:***@127.0.0.1:6390/0',
  backendNote: null,
  label: 'prod',
  readOnly: false,
  hideArgs: false,
  windowMs: 120,
  complete: true,
  taskLimit: 50,
};

function busyModel() {
  const model = createModel(T0);
  const actions = [
    received(T0 + 100, [workerEvent('event-worker-online.json')]),
    received(T0 + 200, [
      ...taskEvents('event-task-multi-batch.json'),
      ...taskEvents('event-task-failed.json'),
    ]),
    inspected(T0 + 300, 'stats', inspectReplies('pidbox-reply-stats.json')),
    {
      type: 'queues/sampled' as const,
      at: T0 + 400,
      undecodableBindings: 0,
      queues: [
        {
          name: 'celery',
          exchanges: ['celery'],
          lengths: { 0: 2, 3: 1 },
          peek: [peeked('p-1', { argsRepr: '(1, 2)' })],
        },
      ],
    },
    resultsAction(T0 + 500, 'scan', fixtureMeta('result-meta-failure.json')),
    {
      type: 'source/failed' as const,
      at: T0 + 600,
      source: 'results' as const,
      reason: 'Redis at redis://:***@x failed',
    },
  ];
  for (const action of actions) reduce(model, action);
  return model;
}

describe('selectSnapshot', () => {
  it('produces a document valid against schema/qtop-1.schema.json', () => {
    const snapshot = selectSnapshot(busyModel(), T0 + 1_000, meta);
    expect(schemaErrors(snapshot)).toEqual([]);
    expect(snapshot.schema).toBe('qtop/1');
    expect(snapshot.queues[0]).toMatchObject({ name: 'celery', total: 3, byPriority: { 0: 2, 3: 1 } });
    expect(snapshot.workers.length).toBeGreaterThan(0);
    expect(snapshot.tasks.total).toBeGreaterThan(0);
    expect(snapshot.failures.length).toBeGreaterThan(0);
    expect(snapshot.meta.sources.results.state).toBe('failed');
    expect(snapshot.meta.sources.queues.state).toBe('ok');
    expect(snapshot.meta.generatedAt).toBe(new Date(T0 + 1_000).toISOString());
  });

  it('the schema rejects drift: an unknown field or a wrong type fails validation', () => {
    const snapshot = selectSnapshot(busyModel(), T0 + 1_000, meta) as unknown as Record<string, unknown>;
    expect(schemaErrors({ ...snapshot, extra: 1 })).not.toEqual([]);
    expect(
      schemaErrors({ ...snapshot, totals: { ...(snapshot.totals as object), ready: 'many' } }),
    ).not.toEqual([]);
  });

  it('an empty model is a valid snapshot with idle sources', () => {
    const snapshot = selectSnapshot(createModel(T0), T0, meta);
    expect(schemaErrors(snapshot)).toEqual([]);
    expect(snapshot.meta.sources.events.state).toBe('idle');
    expect(snapshot.queues).toEqual([]);
  });

  it('hideArgs leaves out args, previews and tracebacks', () => {
    const text = JSON.stringify(selectSnapshot(busyModel(), T0 + 1_000, { ...meta, hideArgs: true }));
    expect(text).not.toContain('(1, 2)');
    expect(text).not.toContain('Traceback (most recent call last)');
    const shown = JSON.stringify(selectSnapshot(busyModel(), T0 + 1_000, meta));
    expect(shown).toContain('(1, 2)');
    expect(shown).toContain('Traceback (most recent call last)');
  });

  it('the error form is valid too', () => {
    expect(
      schemaErrors({ schema: 'qtop/1', error: { code: 'auth', message: 'Redis refused the password' } }),
    ).toEqual([]);
  });
});
