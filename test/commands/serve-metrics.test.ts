import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseListen } from '../../commands/serve/cli.js';
import { createTaskTally, exceptionLabel, hostLabel } from '../../commands/serve/task-counters.js';
import { createModel } from '../../src/store/create-model.js';
import { addTimeline, touchTask } from '../../src/store/task-records.js';

// The exporter's pure parts: labels as celery-exporter writes them, and each event counted once.
describe('serve metrics', () => {
  it('labels: host part of the node name, exception class name', () => {
    expect(hostLabel('w1@web-3')).toBe('web-3');
    expect(hostLabel('plain')).toBe('plain');
    expect(exceptionLabel("ValueError('kaboom')")).toBe('ValueError');
    expect(exceptionLabel(null)).toBe('UnknownException');
  });

  it('--metrics HOST:PORT, [v6]:PORT, :PORT (127.0.0.1)', () => {
    expect(parseListen('0.0.0.0:9808')).toEqual({ host: '0.0.0.0', port: 9808 });
    expect(parseListen('[::1]:9')).toEqual({ host: '::1', port: 9 });
    expect(parseListen(':9808')).toEqual({ host: '127.0.0.1', port: 9808 });
    expect(() => parseListen('9808')).toThrow(/--metrics expected HOST:PORT/);
  });

  it('counts each timeline event once across scans, with the runtime of successes', async () => {
    const model = createModel(0);
    const registry = new Registry();
    const tally = createTaskTally(registry, 'celery');
    const task = touchTask(model, 't1', 1);
    task.name = 'app.add';
    addTimeline(task, { type: 'task-received', timestamp: 10, hostname: 'w1@h' }, 32);
    addTimeline(task, { type: 'seen-in-queue', timestamp: 10, hostname: null }, 32);
    tally.scan(model);
    tally.scan(model);
    addTimeline(task, { type: 'task-succeeded', timestamp: 11, hostname: 'w1@h' }, 32);
    task.runtime = 0.2;
    task.updatedAt = 5;
    model.updatedAt = 5;
    tally.scan(model);
    const text = await registry.metrics();
    const labels = 'name="app.add",hostname="h",queue_name="celery"';
    expect(text).toContain(`celery_task_received_total{${labels}} 1\n`);
    expect(text).toContain(`celery_task_succeeded_total{${labels}} 1\n`);
    expect(text).toContain(`celery_task_runtime_bucket{le="0.25",${labels}} 1\n`);
    expect(text).toContain(`celery_task_runtime_sum{${labels}} 0.2\n`);
  });
});
