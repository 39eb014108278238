import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/hints/maths/types.js';
import type { QueueRow } from '../../src/store/select-queues.js';
import type { RecentFailureGroup } from '../../src/store/select-recent-failures.js';
import type { Throughput } from '../../src/store/select-throughput.js';
import type { WorkerRow } from '../../src/store/select-workers.js';
import {
  allot,
  type OverviewInput,
  overviewLines,
  queuesThatMatter,
  resample,
} from '../../views/present/overview-lines.js';
import { displayWidth } from '../../views/present/text-width.js';

const now = 1_700_000_000_000;
const theme = { color: false, ascii: false };

function queue(name: string, patch: Partial<QueueRow> = {}): QueueRow {
  return {
    name,
    total: 0,
    byPriority: {},
    reserved: 0,
    reservedIsLowerBound: false,
    inRate: null,
    outRate: null,
    backlogTrendPerSec: 0,
    oldestAgeSec: null,
    oldestAgeIsLowerBound: false,
    oldestReservedAgeSec: null,
    consumers: { workers: 1, slots: 4 },
    backlogHistory: [],
    peek: [],
    exchanges: [name],
    sampledAt: now,
    ...patch,
  };
}

function worker(hostname: string, patch: Partial<WorkerRow> = {}): WorkerRow {
  return {
    hostname,
    state: 'online',
    heartbeatAgeSec: 1,
    freq: 2,
    poolMax: 4,
    busy: 0,
    prefetchCount: null,
    processed: null,
    loadavg: null,
    queues: null,
    swVer: null,
    eventsEnabled: true,
    activeCount: null,
    reservedCount: null,
    scheduledCount: null,
    registered: null,
    uptime: null,
    pid: null,
    inPidbox: true,
    silentRounds: 0,
    ...patch,
  } as WorkerRow;
}

function group(name: string, excType: string, recent: number, count: number): RecentFailureGroup {
  return {
    name,
    excType,
    retrying: false,
    count,
    recent,
    firstSeen: now / 1000 - 600,
    lastSeen: now / 1000 - 20,
    exampleId: `${name}-1`,
    exampleException: `${excType}('x')`,
    exampleTraceback: null,
    ids: [`${name}-1`],
    more: 0,
  };
}

const finding = (severity: 'critical' | 'warning', summary: string): Finding =>
  ({
    kind: 'queue-no-consumer',
    severity,
    queue: 'q',
    worker: null,
    taskName: null,
    summary,
    evidence: [],
    fix: '',
    taskIds: [],
  }) as unknown as Finding;

const flat = (v: number | null, n = 180) => new Array<number | null>(n).fill(v);
const throughput: Throughput = {
  bucketMs: 5000,
  succeeded: [...flat(null, 100), ...flat(2, 80)],
  failed: [...flat(null, 100), ...flat(0.2, 80)],
  retried: [...flat(null, 100), ...flat(0, 80)],
  current: { succeeded: 2.04, failed: 0.2, retried: 0 },
};

function input(patch: Partial<OverviewInput> = {}): OverviewInput {
  return {
    throughput,
    queues: [
      queue('idle'),
      queue('slow', { total: 40, oldestAgeSec: 300 }),
      queue('orphan', { total: 5, consumers: { workers: 0, slots: null }, oldestAgeSec: 10 }),
      queue('rising', { total: 12, backlogTrendPerSec: 0.5, oldestAgeSec: 30 }),
      queue('held', { reserved: 3 }),
    ],
    workers: [
      worker('w1@a', { busy: 4 }),
      worker('w2@b', { busy: 1 }),
      worker('w3@c', { state: 'lost', heartbeatAgeSec: 125 }),
      worker('w4@d', { state: 'offline' }),
    ],
    failures: [group('shop.charge', 'TimeoutError', 3, 12), group('mail.send', 'SMTPError', 0, 1)],
    findings: [finding('critical', 'queue orphan has no consumer'), finding('warning', 'w3 is lost')],
    ...patch,
  };
}

const texts = (lines: { text: string }[]) => lines.map((l) => l.text);

describe('overview presenter', () => {
  it('orders the queues with work worst first: no consumer, growing, oldest wait', () => {
    expect(queuesThatMatter(input().queues).map((q) => q.name)).toEqual(['orphan', 'rising', 'slow', 'held']);
  });

  it('fits 80x24 (18 body lines) with every section, each line within the width', () => {
    const lines = overviewLines(input(), 78, 18, theme, now);
    expect(lines.length).toBeLessThanOrEqual(18);
    const all = texts(lines).join('\n');
    for (const heading of ['THROUGHPUT 15m', 'QUEUES', 'WORKERS', 'FAILURES', 'HEALTH'])
      expect(all).toContain(heading);
    expect(all).toContain('ok 2.0/s  failed 0.2/s  retried 0');
    expect(all).toContain('NO CONSUMER');
    expect(all).toContain('4 with work · 57 waiting · 1 without consumer');
    expect(all).toContain('2 up · 1 lost · 1 offline · busy 5/8 slots');
    expect(all).toMatch(/LOST\s+w3@c\s+last heartbeat 2m05s ago/);
    expect(all).toContain('shop.charge  TimeoutError  3 in 5m · 12 held · last 20s ago');
    expect(all).toMatch(/CRITICAL\s+queue orphan has no consumer/);
    for (const line of lines) expect(displayWidth(line.text)).toBeLessThanOrEqual(78);
  });

  it('names what did not fit on the section heading', () => {
    const lines = overviewLines(input(), 80, 12, theme, now);
    expect(lines.length).toBe(12);
    expect(texts(lines).find((t) => t.startsWith('QUEUES'))).toMatch(/\(\+2 more\)$/);
  });

  it('grows with the terminal: every queue with work, the retried chart, blank lines between sections', () => {
    const lines = overviewLines(input(), 200, 44, theme, now);
    const all = texts(lines);
    expect(all.filter((t) => / ready {2}oldest/.test(t))).toHaveLength(4);
    expect(all.some((t) => t.trimStart().startsWith('retried'))).toBe(true);
    expect(all.filter((t) => t === '')).toHaveLength(4);
    expect(all.join('\n')).not.toContain('more)');
  });

  it('jumps from each line to the item in its panel, headings to the panel', () => {
    const lines = overviewLines(input(), 120, 40, theme, now);
    const jumps = lines.flatMap((l) => (l.jump ? [`${l.jump.panel}:${l.jump.key}`] : []));
    expect(jumps).toContain('queues:orphan');
    expect(jumps).toContain('workers:w3@c');
    expect(jumps).toContain('failures:["shop.charge","TimeoutError",false]');
    expect(jumps).toContain('hints:f:queue-no-consumer:q::');
    expect(jumps).toContain('runtimes:');
    expect(lines.find((l) => l.text.includes('w3@c'))?.tone).toBe('bad');
  });

  it('says so when there is nothing to show, never a blank section', () => {
    const lines = overviewLines(
      input({ queues: [queue('idle')], workers: [], failures: [], findings: [] }),
      80,
      18,
      theme,
      now,
    );
    const all = texts(lines).join('\n');
    expect(all).toContain('QUEUES   no backlog (1 queues empty)');
    expect(all).toContain('FAILURES none held');
    expect(all).toContain('HEALTH   no findings');
  });

  it('shows unknown throughput as a gap, not a zero', () => {
    const lines = overviewLines(input(), 80, 18, theme, now);
    const ok = lines.find((l) => l.text.trimStart().startsWith('ok '))!;
    // The first 100 of 180 buckets are unknown: the left of the chart is blank.
    expect(ok.text.slice(10, 30).trim()).toBe('');
    expect(ok.text).toContain('█');
  });

  it('allots the minimums first, then one line at a time, and cuts from the end when short', () => {
    const sections = [
      { items: [1, 2, 3], min: 2 },
      { items: [1, 2, 3, 4, 5], min: 2 },
      { items: [], min: 2 },
    ];
    expect(allot(sections, 9)).toEqual([3, 3, 0]);
    expect(allot(sections, 20)).toEqual([3, 5, 0]);
    expect(allot(sections, 5)).toEqual([2, 0, 0]);
  });

  it('resamples by averaging, a column with no known value stays unknown', () => {
    expect(resample([1, 3, null, null, 4, 4], 3)).toEqual([2, null, 4]);
    expect(resample([1, 2], 5)).toEqual([1, 2]);
  });
});
