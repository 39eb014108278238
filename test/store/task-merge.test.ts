import { describe, expect, it } from 'vitest';
import { mergeState, parseCeleryTime, precedence, stateOfEvent } from '../../src/store/task-merge.js';

describe('precedence and mergeState (Celery states.PRECEDENCE, events.state Task.event)', () => {
  it('orders states as Celery does, custom states in the None slot', () => {
    expect(precedence('SUCCESS')).toBe(0);
    expect(precedence('FAILURE')).toBe(1);
    expect(precedence('PROGRESS')).toBe(2);
    expect(precedence('REVOKED')).toBe(3);
    expect(precedence('PENDING')).toBe(8);
  });

  it.each([
    ['STARTED', 'RECEIVED', 'merge'],
    ['SUCCESS', 'STARTED', 'merge'],
    ['SUCCESS', 'FAILURE', 'merge'],
    ['RECEIVED', 'PENDING', 'merge'],
    ['PROGRESS', 'STARTED', 'merge'],
    ['STARTED', 'REJECTED', 'merge'],
    ['PENDING', 'RECEIVED', 'replace'],
    ['RECEIVED', 'STARTED', 'replace'],
    ['STARTED', 'PROGRESS', 'replace'],
    ['STARTED', 'REVOKED', 'replace'],
    ['SUCCESS', 'SUCCESS', 'replace'],
    // RETRY is exempt both ways: a retried task runs again under the same id.
    ['RETRY', 'RECEIVED', 'replace'],
    ['RETRY', 'PENDING', 'replace'],
    ['STARTED', 'RETRY', 'replace'],
    ['SUCCESS', 'RETRY', 'replace'],
  ] as const)('current %s, incoming %s → %s', (current, incoming, verdict) => {
    expect(mergeState(current, incoming)).toBe(verdict);
  });

  it('maps event types to states like TASK_EVENT_TO_STATE, other types upper-cased', () => {
    expect(stateOfEvent('task-sent')).toBe('PENDING');
    expect(stateOfEvent('task-succeeded')).toBe('SUCCESS');
    expect(stateOfEvent('task-retried')).toBe('RETRY');
    expect(stateOfEvent('task-cancelled')).toBe('CANCELLED');
  });
});

describe('parseCeleryTime', () => {
  const base = Date.UTC(2026, 10, 24, 12, 43, 38) / 1000;

  it('reads a naive time (Celery 5.2 date_done) as UTC, keeping microseconds', () => {
    expect(parseCeleryTime('2026-11-24T12:43:38.339038')).toBeCloseTo(base + 0.339038, 6);
  });

  it('reads +00:00, Z and +01:00 offsets', () => {
    expect(parseCeleryTime('2026-11-24T12:43:38.339038+00:00')).toBeCloseTo(base + 0.339038, 6);
    expect(parseCeleryTime('2026-11-24T12:43:38Z')).toBe(base);
    expect(parseCeleryTime('2026-11-24T13:43:38+01:00')).toBe(base);
    expect(parseCeleryTime('2026-11-24T07:13:38-0530')).toBe(base);
  });

  it('accepts a space separator and a date alone', () => {
    expect(parseCeleryTime('2026-11-24 12:43:38')).toBe(base);
    expect(parseCeleryTime('2026-11-24')).toBe(Date.UTC(2026, 10, 24) / 1000);
  });

  it.each([
    '',
    'garbage',
    '2026-13-01T00:00:00',
    '2026-02-31T00:00:00',
    '2026-11-24T25:00:00',
    '1795524218.3',
  ])('returns null for %j', (text) => {
    expect(parseCeleryTime(text)).toBeNull();
  });
});
