/**
 * Reading deploy/grafana/qtop-dashboard.json for the tests: its PromQL with the variables filled
 * in as Grafana would, and the metric names each expression reads, so the live test can run every
 * expression against Prometheus and find every name in qtop's /metrics.
 */
import fs from 'node:fs';
import path from 'node:path';

export const dashboardFile = path.resolve(process.cwd(), 'deploy/grafana/qtop-dashboard.json');
export const rulesFile = path.resolve(process.cwd(), 'deploy/prometheus/qtop-rules.yml');
export const rulesTestFile = path.resolve(process.cwd(), 'deploy/prometheus/qtop-rules.test.yml');

export interface Target {
  panel: string;
  refId: string;
  expr: string;
}

interface Panel {
  type: string;
  title: string;
  id: number;
  datasource?: { uid?: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ refId: string; expr: string; datasource?: { uid?: string } }>;
}

export interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query: string | { query: string } }> };
}

export function readDashboard(): Dashboard {
  return JSON.parse(fs.readFileSync(dashboardFile, 'utf8')) as Dashboard;
}

/** Every query of every panel, in panel order. */
export function dashboardTargets(dashboard: Dashboard): Target[] {
  return dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, refId: t.refId, expr: t.expr })),
  );
}

/** `$var`, `${var}` and Grafana's `$__rate_interval` replaced by the given values. */
export function substitute(expr: string, values: Record<string, string>): string {
  return expr.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (whole, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      const value = values[name];
      if (value === undefined) throw new Error(`no value for ${whole} in ${expr}`);
      return value;
    },
  );
}

/** `a_(b|c)_d` → `a_b_d`, `a_c_d`: the one alternation group the dashboard's `__name__` matchers use. */
function expandAlternation(pattern: string): string[] {
  const match = /^([\w:]*)\(([\w|:]+)\)([\w:]*)$/.exec(pattern);
  if (!match) return [pattern];
  return match[2]!.split('|').map((part) => `${match[1]}${part}${match[3]}`);
}

/** The celery_* and qtop_* metric names an expression reads (`_bucket` series as their histogram). */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  let rest = expr;
  for (const m of expr.matchAll(/__name__=~?"([^"]+)"/g)) {
    for (const name of expandAlternation(m[1]!)) names.add(name);
    rest = rest.replace(m[0], '');
  }
  for (const m of rest.matchAll(/\b((?:celery|qtop)_[a-z_]+)\b/g)) names.add(m[1]!);
  return [...names].map((name) => name.replace(/_bucket$/, '')).sort();
}
