import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/store/model.js';
import { addObservation, addTimeline, createTaskRecord, timelineKey } from '../../src/store/task-records.js';

const entry = (type: string, timestamp: number, hostname: string | null = 'w1@h'): TimelineEntry => ({
  type,
  timestamp,
  hostname,
});

describe('compact task record', () => {
  it('reads back every field as written, null and false included', () => {
    const r = createTaskRecord('t1', 1_700_000_000_123);
    expect([r.stateAt, r.runtime, r.sentAt, r.receivedAt, r.startedAt, r.finishedAt]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect([r.firstSeenAt, r.updatedAt]).toEqual([1_700_000_000_123, 1_700_000_000_123]);
    r.sentAt = 100.25;
    r.runtime = 0;
    r.updatedAt = 1_700_000_000_999;
    expect([r.sentAt, r.runtime, r.updatedAt]).toEqual([100.25, 0, 1_700_000_000_999]);
    r.sentAt = null;
    expect(r.sentAt).toBeNull();
    expect([r.exception, r.eta, r.note, r.stamps, r.args, r.terminated, r.expired, r.signum]).toEqual([
      null,
      null,
      null,
      null,
      null,
      false,
      false,
      null,
    ]);
    r.exception = "ValueError('x')";
    r.terminated = true;
    r.args = [1, 'a'];
    expect([r.exception, r.terminated, r.args, r.traceback]).toEqual([
      "ValueError('x')",
      true,
      [1, 'a'],
      null,
    ]);
    r.exception = null;
    expect(r.exception).toBeNull();
  });

  it('starts with a shared empty children list and takes a new one', () => {
    const a = createTaskRecord('a', 0);
    const b = createTaskRecord('b', 0);
    expect(a.children).toEqual([]);
    a.children = [...a.children, 'c1'];
    expect(a.children).toEqual(['c1']);
    expect(b.children).toEqual([]);
  });

  it('keeps the timeline in timestamp order, ties in arrival order, newest `max` kept', () => {
    const r = createTaskRecord('t', 0);
    addTimeline(r, entry('task-started', 3), 4);
    addTimeline(r, entry('task-received', 2, 'w2@h'), 4);
    addTimeline(r, entry('task-succeeded', 5), 4);
    addTimeline(r, entry('task-sent', 1, null), 4);
    addTimeline(r, entry('late', 3), 4);
    expect(r.timeline).toEqual([
      entry('task-received', 2, 'w2@h'),
      entry('task-started', 3),
      entry('late', 3),
      entry('task-succeeded', 5),
    ]);
    // Older than everything kept: dropped at once.
    addTimeline(r, entry('ancient', 0.5), 4);
    expect(r.timeline.map((e) => e.type)).toEqual([
      'task-received',
      'task-started',
      'late',
      'task-succeeded',
    ]);
    // The times are not disturbed by timeline changes.
    r.startedAt = 3;
    addTimeline(r, entry('task-failed', 6), 4);
    expect(r.startedAt).toBe(3);
    expect(r.timeline.map((e) => e.type)).toEqual(['task-started', 'late', 'task-succeeded', 'task-failed']);
  });

  it('adds an observation once, and its key changes only when the timeline does', () => {
    const r = createTaskRecord('t', 0);
    addObservation(r, entry('seen-in-queue', 1, null), 32);
    const key = timelineKey(r);
    addObservation(r, entry('seen-in-queue', 2, null), 32);
    expect(timelineKey(r)).toBe(key);
    expect(r.timeline).toEqual([entry('seen-in-queue', 1, null)]);
    addTimeline(r, entry('task-received', 3), 32);
    expect(timelineKey(r)).not.toBe(key);
  });
});
