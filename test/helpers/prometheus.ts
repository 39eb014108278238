/**
 * A real Prometheus (Debian's `prometheus` 2.42, installed by .ci/setup) for the deploy tests:
 * loopback only, a free port, its config, rules and TSDB in a temp dir removed on stop, scraping
 * the given targets every second. Killed on process end like every process the tests start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../commands/shared/local-redis.js';
import { onProcessEnd } from './process-end.js';
import { logPath, settleLog, trackFailures } from './test-logs.js';
import { waitFor } from './wait-for.js';

trackFailures();

const running = new Set<ChildProcess>();
onProcessEnd(() => {
  for (const child of running) child.kill('SIGKILL');
});

export interface PrometheusOptions {
  /** `host:port` targets of the `qtop` job. */
  targets: string[];
  /** Rule files copied next to the config and loaded. */
  ruleFiles?: string[];
}

/** A running Prometheus and its HTTP API. */
export interface Prometheus {
  url: string;
  /** GET `/api/v1/{path}`; throws unless the API says `status: success`. */
  api<T = unknown>(apiPath: string, params?: Record<string, string>): Promise<T>;
  /** An instant query's vector result. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

export async function startPrometheus(options: PrometheusOptions): Promise<Prometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-prometheus-'));
  const rules = (options.ruleFiles ?? []).map((file) => {
    fs.copyFileSync(file, path.join(dir, path.basename(file)));
    return path.basename(file);
  });
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    `rule_files: ${JSON.stringify(rules)}`,
    'scrape_configs:',
    '  - job_name: qtop',
    `    static_configs: [{ targets: ${JSON.stringify(options.targets)} }]`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const logFile = logPath(`prometheus-${port}.log`);
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    'prometheus',
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const api = async <T>(apiPath: string, params: Record<string, string> = {}): Promise<T> => {
    const res = await fetch(`${url}/api/v1/${apiPath}?${new URLSearchParams(params)}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${apiPath}: ${body.error ?? res.status}`);
    return body.data;
  };
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
    settleLog(logFile);
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`prometheus exited with ${child.exitCode}: see ${logFile}`);
        return (await fetch(`${url}/-/ready`)).ok;
      },
      15_000,
      'prometheus to be ready',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    api,
    async query(expr) {
      const data = await api<{ resultType: string; result: unknown }>('query', { query: expr });
      if (data.resultType !== 'vector') throw new Error(`${expr}: a ${data.resultType}, not a vector`);
      return data.result as Array<{ metric: Record<string, string>; value: [number, string] }>;
    },
    stop,
  };
}
