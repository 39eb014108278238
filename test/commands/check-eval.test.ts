import { describe, expect, it } from 'vitest';
import { evaluateCheck, isLost } from '../../commands/check/eval.js';
import { formatPerf, formatStatusLine } from '../../commands/check/format.js';
import { resolveThresholds } from '../../commands/check/thresholds.js';
import { UsageError } from '../../commands/shared/usage-error.js';
import type { HintsReport, QueueHint } from '../../src/hints/maths/types.js';
import type { QueueRow } from '../../src/store/select-queues.js';
import type { TaskNameRow } from '../../src/store/select-task-names.js';
import type { WorkerRow } from '../../src/store/select-workers.js';

// The rules of `qtop check` on hand-made rows; the interop test runs them on a real cluster.
const queue = (name: string, total: number, age: number | null = null, workers = 1) =>
  ({ name, total, oldestAgeSec: age, consumers: { workers, slots: 2 } }) as QueueRow;
const worker = (hostname: string, state: WorkerRow['state'], silentRounds = 0) =>
  ({ hostname, state, silentRounds, heartbeatAgeSec: null }) as WorkerRow;
const hints = (queues: Partial<QueueHint>[] = []): HintsReport =>
  ({ options: {}, queues, findings: [] }) as unknown as HintsReport;
const input = (over: Partial<Parameters<typeof evaluateCheck>[0]> = {}) => ({
  queues: [queue('celery', 12, 30)],
  workers: [worker('w1@h', 'online')],
  taskNames: [] as TaskNameRow[],
  hints: hints(),
  partial: null,
  ...over,
});

describe('check thresholds', () => {
  it('flags over the profile table over the defaults; per-queue pairs; errors name the flag or the key', () => {
    const t = resolveThresholds(
      { warnBacklog: '50', queueBacklog: ['celery=100:1000', 'mail=:5'] },
      {
        path: '/c.toml',
        profile: 'prod',
        table: { warn_backlog: 10, crit_age: '30m', no_consumer: 'warning' },
      },
    );
    expect(t.backlog).toEqual({ warn: 50, crit: null });
    expect(t.ageSec).toEqual({ warn: null, crit: 1800 });
    expect(t.queueBacklog.get('celery')).toEqual({ warn: 100, crit: 1000 });
    expect(t.queueBacklog.get('mail')).toEqual({ warn: null, crit: 5 });
    expect(t).toMatchObject({ noConsumer: 'warning', lost: { warn: null, crit: 1 }, minFinished: 5 });
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(err(() => resolveThresholds({ critFailureRate: '2' }, null))).toBe(
      '--crit-failure-rate must be a ratio between 0 and 1, got "2"',
    );
    expect(
      err(() => resolveThresholds({}, { path: '/c.toml', profile: 'p', table: { warn_bakclog: 1 } })),
    ).toMatch(/^\/c\.toml: profiles\.p\.check\.warn_bakclog: unknown key \(known: warn_backlog, /);
    expect(err(() => resolveThresholds({ warnBacklog: '10', critBacklog: '5' }, null))).toBe(
      'the warning backlog threshold (10) is above the critical one (5)',
    );
    expect(err(() => resolveThresholds({ queueBacklog: ['celery=10'] }, null))).toBe(
      '--queue-backlog celery: expected WARN:CRIT like 100:1000, got "10"',
    );
  });
});

describe('evaluateCheck', () => {
  it('OK with perfdata; the worst level wins and is listed first', () => {
    const ok = evaluateCheck(input(), resolveThresholds({}, null));
    expect(ok).toMatchObject({
      status: 'ok',
      summary: '1 queue(s), backlog 12, 1 worker(s) up',
      problems: [],
    });
    const t = resolveThresholds({ warnBacklog: '10', critAge: '20s' }, null);
    const bad = evaluateCheck(input(), t);
    expect(bad.status).toBe('critical');
    expect(bad.problems.map((p) => p.text)).toEqual([
      'celery oldest message 30s (>= 20)',
      'celery backlog 12 (>= 10)',
    ]);
    expect(bad.perfdata.map(formatPerf)).toEqual([
      "'backlog_celery'=12;10;;0;",
      "'age_celery'=30s;;20;0;",
      "'consumers_celery'=1;;;0;",
      "'workers_up'=1;;;0;",
      "'workers_lost'=0;;1;0;",
    ]);
  });

  it('a silent pidbox-only worker counts as lost; partial data turns OK into UNKNOWN, not CRITICAL', () => {
    expect(isLost(worker('w', 'pidbox-only', 1))).toBe(true);
    expect(isLost(worker('w', 'pidbox-only', 0))).toBe(false);
    const lost = evaluateCheck(input({ workers: [worker('w2@h', 'lost')] }), resolveThresholds({}, null));
    expect(lost.status).toBe('critical');
    const partial = evaluateCheck(input({ partial: 'results failed' }), resolveThresholds({}, null));
    expect(partial.status).toBe('unknown');
    expect(partial.summary).toMatch(/; partial data: results failed$/);
  });

  it('failure rate waits for min-finished; slots judge the hint', () => {
    const row = { name: 't', count: 4, failed: 2, failureRate: 0.5 } as TaskNameRow;
    const t = resolveThresholds({ warnFailureRate: '0.2', minFinished: '5', critSlots: '3' }, null);
    expect(evaluateCheck(input({ taskNames: [row] }), t).status).toBe('ok');
    const slots = evaluateCheck(input({ hints: hints([{ queue: 'celery', addSlots: 4 }]) }), t);
    expect(slots.problems[0]?.text).toBe('celery needs 4 more slot(s) (>= 3)');
  });

  it('the status line keeps to one line and keeps | out of the summary', () => {
    expect(formatStatusLine('warning', 'a|b\nc', [])).toBe('QTOP WARNING - a/b c\n');
    expect(
      formatPerf({ label: "it's=x", value: 1, uom: '', warn: null, crit: null, min: 0, max: null }),
    ).toBe("'it_s_x'=1;;;0;");
  });
});
