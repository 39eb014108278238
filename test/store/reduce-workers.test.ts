import { describe, expect, it } from 'vitest';
import { gaugeValues } from '../../src/metrics/series.js';
import { createModel } from '../../src/store/create-model.js';
import { reduceWorkers } from '../../src/store/reduce-workers.js';
import { inspected, inspectReplies, received, T0, taskEvents, workerEvent } from './fixture-events.js';

describe('reduceWorkers: worker events', () => {
  it('records an online event: sender time, receipt time, freq, load and software', () => {
    const model = createModel(T0);
    expect(reduceWorkers(model, received(T0 + 10, [workerEvent('event-worker-online.json')]))).toBe(true);
    expect(model.workers.get('w2@vm')).toMatchObject({
      heartbeatAt: 1795524201.8018248,
      heartbeatReceivedAt: T0 + 10,
      onlineAt: T0 + 10,
      offlineAt: null,
      freq: 2,
      active: 0,
      processed: 0,
      loadavg: [0.07, 0.05, 0.02],
      swIdent: 'py-celery',
      swVer: '5.2.6',
      swSys: 'Linux',
      pid: 20438,
    });
  });

  it('keeps active, processed, loadavg and freq through a wake-up heartbeat (freq 5, no load)', () => {
    const model = createModel(T0);
    const beat = workerEvent('event-worker-heartbeat.json', { hostname: 'w1@vm', active: 2, processed: 40 });
    reduceWorkers(model, received(T0, [beat]));
    reduceWorkers(model, received(T0 + 1000, [workerEvent('event-worker-heartbeat-wakeup.json')]));
    const w = model.workers.get('w1@vm')!;
    expect(w).toMatchObject({ active: 2, processed: 40, loadavg: [0.07, 0.05, 0.02], freq: 2 });
    expect(w.heartbeatAt).toBe(1795524299.0581076);
    expect(w.heartbeatReceivedAt).toBe(T0 + 1000);
    // One load sample per real heartbeat; the wake-up measured nothing.
    expect(gaugeValues(w.history, 10)).toEqual([2]);
  });

  it('marks offline on worker-offline, and clears it on a later heartbeat', () => {
    const model = createModel(T0);
    reduceWorkers(model, received(T0, [workerEvent('event-worker-heartbeat.json')]));
    reduceWorkers(model, received(T0 + 5000, [workerEvent('event-worker-offline.json')]));
    const w = model.workers.get('w2@vm')!;
    expect(w.offlineAt).toBe(T0 + 5000);
    expect(w.processed).toBe(7);
    expect(w.heartbeatReceivedAt).toBe(T0);
    reduceWorkers(model, received(T0 + 9000, [workerEvent('event-worker-heartbeat.json')]));
    expect(w.offlineAt).toBeNull();
    expect(w.heartbeatReceivedAt).toBe(T0 + 9000);
  });
});

describe('reduceWorkers: task events', () => {
  it('notes task events from workers as evidence that events are on', () => {
    const model = createModel(T0);
    expect(reduceWorkers(model, received(T0 + 7, taskEvents('event-task-multi-batch.json')))).toBe(true);
    expect(model.workers.get('w1@vm')!.taskEventAt).toBe(T0 + 7);
  });

  it('ignores task-sent, which producers send', () => {
    const model = createModel(T0);
    const sent = taskEvents('event-task-sent.json');
    expect(sent[0]!.hostname).toBe('gen20496@vm');
    expect(reduceWorkers(model, received(T0, sent))).toBe(false);
    expect(reduceWorkers(model, received(T0, [{ ...sent[0]!, hostname: 'w1@vm' }]))).toBe(false);
    const fromProducer = { ...taskEvents('event-task-started.json')[0]!, hostname: 'gen42@vm' };
    expect(reduceWorkers(model, received(T0, [fromProducer]))).toBe(false);
    expect(model.workers.size).toBe(0);
  });
});

describe('reduceWorkers: pidbox', () => {
  it('flags listed nodes in the pidbox and unflags the rest', () => {
    const model = createModel(T0);
    reduceWorkers(model, { type: 'pidbox/sampled', at: T0, nodes: ['w1@vm', 'w2@vm'] });
    expect(reduceWorkers(model, { type: 'pidbox/sampled', at: T0 + 1, nodes: ['w2@vm'] })).toBe(true);
    expect(model.workers.get('w1@vm')!.inPidbox).toBe(false);
    expect(model.workers.get('w2@vm')!.inPidbox).toBe(true);
    expect(reduceWorkers(model, { type: 'pidbox/sampled', at: T0 + 2, nodes: ['w2@vm'] })).toBe(false);
  });
});

describe('reduceWorkers: inspect replies', () => {
  it('reads stats: pool size and processes, prefetch, pid, uptime, totals', () => {
    const model = createModel(T0);
    reduceWorkers(model, inspected(T0, 'stats', inspectReplies('pidbox-reply-stats.json')));
    expect(model.workers.get('w1@vm')).toMatchObject({
      poolMax: 2,
      poolProcesses: 2,
      poolType: null,
      prefetchCount: 8,
      pid: 20436,
      uptime: 43,
      totals: { 'app.boom': 1, 'app.echo': 1, 'app.flaky': 1, 'app.add': 1, 'app.sleepy': 2 },
      statsAt: T0,
      repliedAt: T0,
    });
    expect(model.inspect.stats?.at).toBe(T0);
  });

  it('reads the pool implementation newer Celery reports', () => {
    const model = createModel(T0);
    const [reply] = inspectReplies('pidbox-reply-stats.json');
    const value = reply!.value as { pool: Record<string, unknown> };
    value.pool.implementation = 'celery.concurrency.prefork:TaskPool';
    reduceWorkers(model, inspected(T0, 'stats', [reply!]));
    expect(model.workers.get('w1@vm')!.poolType).toBe('celery.concurrency.prefork:TaskPool');
  });

  it('reads task ids from active, reserved and scheduled, and names from registered and active_queues', () => {
    const model = createModel(T0);
    reduceWorkers(model, inspected(T0, 'active', inspectReplies('pidbox-reply-active.json')));
    reduceWorkers(model, inspected(T0, 'reserved', inspectReplies('pidbox-reply-reserved.json')));
    reduceWorkers(model, inspected(T0, 'registered', inspectReplies('pidbox-reply-registered.json')));
    reduceWorkers(model, inspected(T0, 'scheduled', inspectReplies('pidbox-reply-scheduled.json')));
    reduceWorkers(model, inspected(T0, 'active_queues', inspectReplies('pidbox-reply-active-queues.json')));
    const w1 = model.workers.get('w1@vm')!;
    expect(w1.activeIds).toEqual([
      '8f49e99e-9a54-4e23-a98a-4d3d9d7d8718',
      '15a90245-5a76-4621-97c3-61a761b64aac',
    ]);
    expect(w1.reservedIds).toEqual(['f7e9f011-c373-4977-8d0e-4706041b4670']);
    expect(w1.registered).toEqual(['app.add', 'app.boom', 'app.echo', 'app.flaky', 'app.sleepy']);
    const w2 = model.workers.get('w2@vm')!;
    expect(w2.scheduledIds).toEqual(['47e20b7e-935c-4613-8197-b39b739e6e74']);
    expect(w2.queues).toEqual(['celery', 'other']);
    // Redis stores no exchange type; the worker's declarations are where a retry learns it.
    expect(w2.exchanges).toEqual({ celery: 'direct', other: 'direct' });
  });

  it('strips " [attr=…]" from registered names (taskinfoitems)', () => {
    const model = createModel(T0);
    const value = ['app.add [rate_limit=10/m]', 'app.echo', 'app.add [rate_limit=10/m]'];
    reduceWorkers(model, inspected(T0, 'registered', [{ node: 'w1@vm', value, error: null }]));
    expect(model.workers.get('w1@vm')!.registered).toEqual(['app.add', 'app.echo']);
  });

  it('keeps previous values on an error or a malformed reply, yet counts the answer', () => {
    const model = createModel(T0);
    reduceWorkers(model, inspected(T0, 'active', inspectReplies('pidbox-reply-active.json')));
    reduceWorkers(model, inspected(T0 + 1000, 'active', [{ node: 'w1@vm', value: 'garbage', error: null }]));
    const [failure] = inspectReplies('pidbox-reply-error-autoscale.json');
    expect(failure!.error).toBe("ValueError('Autoscale not enabled')");
    reduceWorkers(model, inspected(T0 + 2000, 'active', [failure!]));
    reduceWorkers(
      model,
      inspected(T0 + 3000, 'active', [{ node: 'w1@vm', value: { error: 'boom' }, error: null }]),
    );
    const w1 = model.workers.get('w1@vm')!;
    expect(w1.activeIds).toHaveLength(2);
    expect(w1.repliedAt).toBe(T0 + 3000);
  });

  it('counts missed rounds for silent nodes and resets on an answer', () => {
    const model = createModel(T0);
    const ping = inspectReplies('pidbox-reply-ping.json');
    reduceWorkers(model, inspected(T0, 'ping', ping, ['w2@vm']));
    reduceWorkers(model, inspected(T0 + 1000, 'ping', [], ['w1@vm', 'w2@vm']));
    expect(model.workers.get('w1@vm')!.silentRounds).toBe(1);
    expect(model.workers.get('w2@vm')!.silentRounds).toBe(2);
    reduceWorkers(model, inspected(T0 + 2000, 'ping', ping));
    expect(model.workers.get('w1@vm')).toMatchObject({ silentRounds: 0, repliedAt: T0 + 2000 });
  });

  it('samples load from active replies only for a worker without heartbeats', () => {
    const model = createModel(T0);
    reduceWorkers(model, inspected(T0, 'active', inspectReplies('pidbox-reply-active.json')));
    expect(gaugeValues(model.workers.get('w1@vm')!.history, 5)).toEqual([2]);
    reduceWorkers(
      model,
      received(T0 + 500, [workerEvent('event-worker-heartbeat.json', { hostname: 'w1@vm' })]),
    );
    reduceWorkers(model, inspected(T0 + 1000, 'active', inspectReplies('pidbox-reply-active.json')));
    expect(gaugeValues(model.workers.get('w1@vm')!.history, 5)).toEqual([2, 0]);
  });
});
