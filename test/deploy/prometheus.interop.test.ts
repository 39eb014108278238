import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../commands/shared/local-redis.js';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { type Prometheus, startPrometheus } from '../helpers/prometheus.js';
import { type QtopProcess, spawnQtop } from '../helpers/qtop-cli.js';
import { waitFor } from '../helpers/wait-for.js';
import { dashboardTargets, metricNames, readDashboard, rulesFile, substitute } from './dashboard-model.js';

// The monitoring stack for real: Celery 5.2 workers w1 and w2 on one host, `qtop serve --metrics`
// over them, Debian's prometheus 2.42 scraping it every second with the shipped alert rules, and
// every query of the shipped dashboard run against that Prometheus.
let cluster: Cluster;
let qtop: QtopProcess;
let prometheus: Prometheus;
let metricsUrl: string;
let metricsText = '';

async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl);
  expect(res.status).toBe(200);
  return res.text();
}

/** Metric families in an exposition: the names of its TYPE lines. */
function families(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
}

function promtoolCheckMetrics(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

const sum = (result: Array<{ value: [number, string] }>) =>
  result.reduce((n, r) => n + Number(r.value[1]), 0);

beforeAll(async () => {
  cluster = await startCluster({
    workers: [
      { name: 'w1', events: true, concurrency: 2, queues: ['celery'] },
      { name: 'w2', events: true, concurrency: 1, queues: ['celery'] },
    ],
  });
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  qtop = spawnQtop(['serve', '-b', cluster.brokerUrl, '--metrics', `127.0.0.1:${port}`]);
  await waitFor(() => qtop.stderr().includes('serving Prometheus metrics'), 20_000, 'qtop serve to listen');
  prometheus = await startPrometheus({ targets: [`127.0.0.1:${port}`], ruleFiles: [rulesFile] });
  await cluster.sendTasks('app.add', [2, 3], { count: 4 });
  await cluster.sendTasks('app.boom', [], { count: 2 });
  await cluster.sendTasks('app.add', [1, 1], { queue: 'parked', count: 3 });
  await waitFor(
    async () => {
      metricsText = await scrape();
      return succeeded(metricsText, 'app.add') === 4;
    },
    20_000,
    'the four app.add successes in /metrics',
  );
});

/** Succeeded tasks of `name` in an exposition, summed over its hostname and queue series. */
function succeeded(text: string, name: string): number {
  const re = new RegExp(`^celery_task_succeeded_total\\{name="${name}"[^}]*\\} (\\d+)$`, 'gm');
  return [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
}

afterAll(async () => {
  await prometheus?.stop();
  await qtop?.stop('SIGTERM');
  await cluster?.stop();
});

describe('qtop serve scraped by a real Prometheus, queried as the dashboard does', () => {
  it('promtool check metrics parses /metrics; its only lint notes are names kept on purpose', async () => {
    const run = await promtoolCheckMetrics(metricsText);
    // Exit 1 is a parse error; 3 means lint notes only. celery_active_*_count are celery-exporter's
    // names (dashboards use them); the nodejs_*_total gauges are prom-client's default metrics.
    expect(run.code, run.output).toBe(3);
    const notes = run.output.trim().split('\n').sort();
    expect(notes).toEqual([
      ...['consumer', 'process', 'worker'].map(
        (kind) =>
          `celery_active_${kind}_count non-histogram and non-summary metrics should not have "_count" suffix`,
      ),
      ...['handles', 'requests', 'resources'].map(
        (kind) =>
          `qtop_process_nodejs_active_${kind}_total non-counter metrics should not have "_total" suffix`,
      ),
    ]);
  });

  it('two workers on one host are two celery_worker_up series, told apart by worker', async () => {
    const host = cluster.workers[0]!.hostname.split('@')[1]!;
    const names = cluster.workers.map((w) => w.hostname).sort();
    await waitFor(
      async () => (await prometheus.query('celery_worker_up')).length === 2,
      10_000,
      'two series',
    );
    const up = await prometheus.query('celery_worker_up');
    expect(up.map((s) => s.metric.worker).sort()).toEqual(names);
    expect(up.map((s) => [s.metric.hostname, s.value[1]])).toEqual([
      [host, '1'],
      [host, '1'],
    ]);
    expect((await prometheus.query('celery_worker_tasks_active')).map((s) => s.metric.worker).sort()).toEqual(
      names,
    );
    // celery-exporter's one series per host is one aggregation away.
    const byHost = await prometheus.query('max by (hostname) (celery_worker_up)');
    expect(byHost.map((s) => [s.metric.hostname, s.value[1]])).toEqual([[host, '1']]);
  });

  it('Prometheus holds the backlog and the task counters the cluster produced', async () => {
    await waitFor(
      async () =>
        sum(await prometheus.query('celery_task_succeeded_total{name="app.add"}')) === 4 &&
        sum(await prometheus.query('celery_task_failed_total{name="app.boom"}')) === 2,
      15_000,
      'the counters in Prometheus',
    );
    expect(sum(await prometheus.query('celery_queue_length{queue_name="parked"}'))).toBe(3);
    expect(
      sum(await prometheus.query('celery_task_received_total{name="app.add",queue_name="celery"}')),
    ).toBe(4);
    const failed = await prometheus.query('celery_task_failed_total{name="app.boom"}');
    expect(failed.map((s) => s.metric.exception)).toEqual(failed.map(() => 'ValueError'));
    expect(sum(await prometheus.query('celery_task_runtime_count{name="app.add"}'))).toBe(4);
    // A series is born at its first value, which rate() cannot see: two more failures give the
    // failure-rate panel an increase to divide.
    await cluster.sendTasks('app.boom', [], { count: 2 });
    await waitFor(
      async () => sum(await prometheus.query('celery_task_failed_total{name="app.boom"}')) === 4,
      15_000,
      'four app.boom failures in Prometheus',
    );
  });

  it('every dashboard query runs, and the variables list the cluster’s queues and tasks', async () => {
    const values = { queue: '.*', task: '.*', __rate_interval: '1m' };
    const targets = dashboardTargets(readDashboard());
    expect(targets.length).toBeGreaterThan(30);
    for (const target of targets) {
      const expr = substitute(target.expr, values);
      await expect(
        prometheus.query(expr),
        `${target.panel} ${target.refId}: ${expr}`,
      ).resolves.toBeInstanceOf(Array);
    }
    // With data behind them, the headline panels have values.
    const one = { ...values, queue: 'parked|celery', task: 'app.add|app.boom' };
    const backlog = targets.find((t) => t.panel === 'Backlog per queue')!;
    const parked = (await prometheus.query(substitute(backlog.expr, one))).find(
      (s) => s.metric.queue_name === 'parked',
    );
    expect(parked?.value[1]).toBe('3');
    const failureRate = targets.find((t) => t.panel === 'Failure rate per task')!;
    const rates = await prometheus.query(substitute(failureRate.expr, one));
    expect(rates.find((s) => s.metric.name === 'app.boom')?.value[1]).toBe('1');
    expect(await prometheus.api('label/queue_name/values', { 'match[]': 'celery_queue_length' })).toEqual(
      expect.arrayContaining(['celery', 'parked']),
    );
    expect(await prometheus.api('label/name/values', { 'match[]': 'celery_task_received_total' })).toEqual(
      expect.arrayContaining(['app.add', 'app.boom']),
    );
  });

  it('every metric the dashboard and the rules name is in /metrics (beat metrics: from the beat source)', async () => {
    const exposed = families(await scrape());
    const dashboardNames = new Set(dashboardTargets(readDashboard()).flatMap((t) => metricNames(t.expr)));
    expect([...dashboardNames].filter((name) => !exposed.has(name))).toEqual([]);
    type Rule = {
      name: string;
      query: string;
      duration: number;
      health: string;
      annotations: Record<string, string>;
    };
    const rules = (await prometheus.api<{ groups: Array<{ rules: Rule[] }> }>('rules')).groups.flatMap(
      (g) => g.rules,
    );
    expect(rules).toHaveLength(8);
    const ruleNames = new Set(rules.flatMap((r) => metricNames(r.query)));
    expect([...ruleNames].filter((name) => !exposed.has(name) && !name.startsWith('qtop_beat_'))).toEqual([]);
    for (const rule of rules) {
      expect(rule.duration, rule.name).toBeGreaterThan(0);
      expect(rule.annotations.summary, rule.name).toMatch(/\S/);
      expect(rule.annotations.runbook, rule.name).toMatch(/qtop|celery/);
    }
  });

  it('the rules evaluate without error, and the unconsumed queue is pending', async () => {
    type Alert = { labels: Record<string, string>; state: string };
    await waitFor(
      async () => {
        const { alerts } = await prometheus.api<{ alerts: Alert[] }>('alerts');
        return alerts.some(
          (a) => a.labels.alertname === 'CeleryQueueNotConsumed' && a.labels.queue_name === 'parked',
        );
      },
      10_000,
      'CeleryQueueNotConsumed pending for parked',
    );
    const { alerts } = await prometheus.api<{ alerts: Alert[] }>('alerts');
    expect(alerts.map((a) => `${a.labels.alertname} ${a.labels.queue_name} ${a.state}`)).toEqual([
      'CeleryQueueNotConsumed parked pending',
    ]);
    const { groups } = await prometheus.api<{
      groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }>;
    }>('rules');
    for (const rule of groups.flatMap((g) => g.rules))
      expect(`${rule.name} ${rule.health} ${rule.lastError ?? ''}`).toBe(`${rule.name} ok `);
  });
});
