import { describe, expect, it } from 'vitest';
import { formatCheckAll } from '../../commands/check/check-all.js';
import {
  type ClusterEntry,
  clusterRow,
  formatRows,
  sortRows,
  worstState,
} from '../../src/snapshot/all-rows.js';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';

// Only the fields clusterRow reads; the rest of a qtop/1 snapshot is the interop test's.
function snapshot(parts: {
  findings?: { severity: 'critical' | 'warning'; summary: string }[];
  ages?: (number | null)[];
  tasks?: { succeeded: number; failed: number }[];
  taskEvents?: boolean | null;
  complete?: boolean;
  failedSource?: boolean;
}): Snapshot {
  return {
    meta: {
      complete: parts.complete ?? true,
      events: { taskEvents: parts.taskEvents ?? true },
      sources: { queues: { state: parts.failedSource ? 'failed' : 'ok' }, events: { state: 'ok' } },
    },
    totals: { workersUp: 3, workersLost: 1, ready: 42 },
    queues: (parts.ages ?? []).map((oldestAgeSec) => ({ oldestAgeSec })),
    taskNames: parts.tasks ?? [],
    hints: { findings: parts.findings ?? [] },
  } as unknown as Snapshot;
}

describe('qtop --all rows', () => {
  it('puts critical findings first and derives the figures from the snapshot', () => {
    const row = clusterRow({
      name: 'prod',
      snapshot: snapshot({
        findings: [
          { severity: 'warning', summary: 'retries' },
          { severity: 'critical', summary: 'no consumer on emails' },
        ],
        ages: [null, 12.4, 90],
        tasks: [
          { succeeded: 6, failed: 1 },
          { succeeded: 2, failed: 1 },
        ],
      }),
    });
    expect(row.state).toBe('critical');
    expect(row.findings.map((f) => f.severity)).toEqual(['critical', 'warning']);
    expect(row.oldestWaitSec).toBe(90);
    expect(row.failureRate).toBeCloseTo(0.2);
    expect(row).toMatchObject({
      workersUp: 3,
      workersLost: 1,
      ready: 42,
      events: 'on',
      connection: 'connected',
    });
  });

  it('says partial, events off and no failure rate when that is what it saw', () => {
    const row = clusterRow({
      name: 'dev',
      snapshot: snapshot({
        taskEvents: false,
        failedSource: true,
        findings: [{ severity: 'warning', summary: 'x' }],
      }),
    });
    expect(row).toMatchObject({ state: 'warning', events: 'off', connection: 'partial', failureRate: null });
    expect(clusterRow({ name: 'slow', snapshot: snapshot({ complete: false }) }).connection).toBe('partial');
  });

  it('makes an error row unknown with its code as the connection state', () => {
    const row = clusterRow({ name: 'gone', error: { code: 'unreachable', message: 'cannot reach Redis' } });
    expect(row).toMatchObject({ state: 'unknown', connection: 'unreachable', error: 'cannot reach Redis' });
  });

  it('orders rows worst first, file order within a state', () => {
    const entries: ClusterEntry[] = [
      { name: 'a', snapshot: snapshot({}) },
      { name: 'b', error: { code: 'timeout', message: 't' } },
      { name: 'c', snapshot: snapshot({ findings: [{ severity: 'critical', summary: 'lost' }] }) },
      { name: 'd', snapshot: snapshot({ findings: [{ severity: 'warning', summary: 'w' }] }) },
      { name: 'e', snapshot: snapshot({}) },
    ];
    expect(sortRows(entries.map(clusterRow)).map((r) => r.name)).toEqual(['c', 'b', 'd', 'a', 'e']);
    const table = formatRows(entries.map(clusterRow)).split('\n');
    expect(table[0]).toMatch(/^PROFILE\s+STATE/);
    expect(table[1]).toMatch(/^c\s+critical.*critical: lost$/);
  });

  it('takes critical over unknown over warning over ok as the worst state', () => {
    expect(worstState([])).toBe('ok');
    expect(worstState(['ok', 'warning'])).toBe('warning');
    expect(worstState(['warning', 'unknown', 'ok'])).toBe('unknown');
    expect(worstState(['unknown', 'critical', 'warning'])).toBe('critical');
  });

  it('prints the worst state first for check --all, then a line per cluster, with its exit code', () => {
    const { text, exitCode } = formatCheckAll([
      { name: 'prod', status: 'warning', summary: 'backlog 900' },
      { name: 'gone', status: 'unknown', summary: 'cannot reach\nRedis' },
      { name: 'dev', status: 'ok', summary: 'fine' },
    ]);
    expect(exitCode).toBe(3);
    expect(text.split('\n')).toEqual([
      'QTOP UNKNOWN - 3 clusters: 1 unknown, 1 warning, 1 ok',
      'prod: WARNING - backlog 900',
      'gone: UNKNOWN - cannot reach Redis',
      'dev: OK - fine',
      '',
    ]);
    expect(formatCheckAll([{ name: 'x', status: 'ok', summary: '' }]).exitCode).toBe(0);
  });
});
