import { describe, expect, it } from 'vitest';
import { dashboardTargets, metricNames, readDashboard, substitute } from './dashboard-model.js';

// The Grafana dashboard's shape: provisioning-ready (a datasource variable on every query),
// queue and task variables used, the sections the issue asks for, and no beat panels.
const dashboard = readDashboard();
const targets = dashboardTargets(dashboard);
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template
const datasourceVar = '${datasource}';

describe('deploy/grafana/qtop-dashboard.json', () => {
  it('has a datasource variable that every panel and query uses, and queue/task variables', () => {
    const vars = dashboard.templating.list.map((v) => `${v.name}:${v.type}`);
    expect(vars).toEqual(['datasource:datasource', 'queue:query', 'task:query']);
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource?.uid, panel.title).toBe(datasourceVar);
      for (const target of panel.targets ?? [])
        expect(target.datasource?.uid, panel.title).toBe(datasourceVar);
    }
    expect(targets.some((t) => t.expr.includes('queue_name=~"$queue"'))).toBe(true);
    expect(targets.some((t) => t.expr.includes('name=~"$task"'))).toBe(true);
  });

  it('panels have unique ids and do not overlap', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });

  it('covers backlog, oldest wait, throughput, failure rate, runtime percentiles, workers, hints and event loss', () => {
    const names = new Set(targets.flatMap((t) => metricNames(t.expr)));
    for (const name of [
      'celery_queue_length',
      'qtop_queue_oldest_age_seconds',
      'celery_task_succeeded_total',
      'celery_task_failed_total',
      'celery_task_runtime',
      'celery_worker_up',
      'qtop_worker_state',
      'qtop_queue_slots_needed',
      'qtop_source_gaps_total',
    ])
      expect(names.has(name), name).toBe(true);
    expect(
      targets.filter((t) => t.expr.startsWith('histogram_quantile(')).map((t) => t.expr.slice(19, 23)),
    ).toEqual(['0.5,', '0.9,', '0.99']);
    expect([...names].filter((n) => n.startsWith('qtop_beat'))).toEqual([]);
  });

  it('metricNames expands __name__ alternations and folds histogram series into their family', () => {
    expect(
      metricNames(
        'sum(rate({__name__=~"celery_task_(succeeded|failed)_total",name=~"$task"}[1m])) / celery_task_runtime_bucket',
      ),
    ).toEqual(['celery_task_failed_total', 'celery_task_runtime', 'celery_task_succeeded_total']);
    expect(
      substitute(`x{q=~"$queue"}[$__rate_interval] $\{task}`, {
        queue: '.*',
        __rate_interval: '1m',
        task: 't',
      }),
    ).toBe('x{q=~".*"}[1m] t');
    expect(() => substitute('$nope', {})).toThrow(/no value for \$nope/);
  });
});
