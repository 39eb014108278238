/**
 * `qtop serve --metrics HOST:PORT`: the live collector (as `qtop --json --watch` runs it) behind
 * an HTTP endpoint with Prometheus text exposition (prom-client). Outages are waited out, as an
 * exporter must keep answering: `qtop_source_up` says what is stale. Ends on SIGINT/SIGTERM.
 */
import http from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { RunConfig } from '../config/config.js';
import { openCollection } from '../live/collect.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import { createGauges } from './metrics.js';
import { createTaskTally } from './task-counters.js';

export interface ServeOptions {
  host: string;
  port: number;
  targetSec: number;
  waitTargetSec: number;
  /** Rates behind the hints look back this far, s. */
  windowSec: number;
}

/** How often task timelines are counted: often enough that a busy model evicts nothing uncounted. */
const tallyEveryMs = 1_000;

/** Serve until interrupted; exit 3/4 when Redis cannot be reached at start (as every command). */
export async function runServe(config: RunConfig, io: CliIo, options: ServeOptions): Promise<void> {
  const collection = await openCollection(config, io, 2_000, false);
  if (collection === null) return;
  const { store, collector, clock } = collection;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'qtop_process_' });
  const tally = createTaskTally(registry, config.wire.defaultQueue);
  const gauges = createGauges(registry, {
    targetSec: options.targetSec,
    waitTargetSec: options.waitTargetSec,
    visibilityTimeoutSec: config.wire.visibilityTimeout,
    windowSec: options.windowSec,
  });
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      const model = store.getModel();
      tally.scan(model);
      gauges.update(model, clock.now());
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500).end(`${String(error)}\n`),
      );
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('qtop metrics exporter: see /metrics\n');
    } else res.writeHead(404).end();
  });
  try {
    await collector.collectOnce(2_000);
    collector.start();
    const timer = setInterval(() => tally.scan(store.getModel()), tallyEveryMs);
    try {
      await listen(server, options.host, options.port);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      io.stderr.write(`qtop: serving Prometheus metrics on http://${host}:${port}/metrics\n`);
      await untilSignal();
    } finally {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  } finally {
    await collector.stop();
  }
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // A port in use is the user's to fix, like a bad flag: one line and exit 2.
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot listen on ${host}:${port} (${error.code ?? error.message})`)),
    );
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      resolve();
    };
    process.on('SIGINT', finish);
    process.on('SIGTERM', finish);
  });
}
