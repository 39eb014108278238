/**
 * `qtop task ID`: one task's detail and its workflow family, from what Redis holds now. A short
 * collection (queues with their next messages, `unacked`, events while it runs, one inspect
 * round) and then one full, budgeted pass over the result metas, since a group's members are
 * linked only by the `group_id` in each member's meta: without reading them all, a member's
 * siblings cannot be found. The pass reads with SCAN and GETRANGE only, like the result source.
 */
import type { Redis } from 'ioredis';
import { exitCodes } from '../../src/base/exit-codes.js';
import { backendKeyprefix } from '../../src/celery/names.js';
import { jsonLine } from '../../src/output/json-line.js';
import { sanitize } from '../../src/output/sanitize.js';
import { ConnectError, connectRedis, exitCodeFor, maskSecrets } from '../../src/redis/index.js';
import { createResultScanner } from '../../src/sources/result-source.js';
import { familyHeadline, familyRowText, familyTreeRows } from '../../src/store/family-tree-rows.js';
import { selectTaskDetail } from '../../src/store/select-task-detail.js';
import { selectTaskFamily } from '../../src/store/select-task-family.js';
import type { Store } from '../../src/store/store.js';
import { runTargets } from '../config/cluster-connect.js';
import type { RunConfig } from '../config/config.js';
import { openCollection, reportError } from '../live/collect.js';
import type { CliIo } from '../shared/io.js';
import { familyJson, type TaskDocumentMeta, taskJson } from './document.js';

export interface TaskRunOptions {
  id: string;
  json: boolean;
  windowMs: number;
  /** Most result metas the full pass reads. */
  maxResults: number;
}

/** Metas read per pipeline in the full pass. */
const passBudget = 1_000;

/** Read every result meta (at most `max`) into the store; how many were read and whether it was cut. */
async function readAllResults(
  backend: Redis,
  store: Store,
  config: RunConfig,
  max: number,
  now: () => number,
): Promise<{ read: number; capped: boolean }> {
  const scanner = createResultScanner(backend, {
    budget: passBudget,
    maxValueChars: config.model.maxValueChars,
    keyprefix: backendKeyprefix(config.wire.backendKeyprefix),
  });
  let read = 0;
  while (!scanner.done) {
    if (read >= max) return { read, capped: true };
    const action = await scanner.next(now());
    if (action === null) continue;
    read += action.metas.length + action.malformed;
    store.dispatch(action);
  }
  return { read, capped: false };
}

/** Print the task and its family; exit 6 when qtop finds nothing about the id. */
export async function runTask(config: RunConfig, io: CliIo, options: TaskRunOptions): Promise<void> {
  const collection = await openCollection(config, io, options.windowMs, options.json);
  if (collection === null) return;
  const { store, collector, clock, startedAt, secrets } = collection;
  let backend: Redis | null = null;
  try {
    const { complete } = await collector.collectOnce(options.windowMs);
    const targets = runTargets(config);
    let pass = { read: 0, capped: false };
    if (targets.backend) {
      try {
        backend = await connectRedis(targets.backend, {
          interactive: false,
          connectTimeoutMs: config.timeoutMs,
          name: 'qtop-task',
        });
      } catch (error) {
        if (!(error instanceof ConnectError)) throw error;
        reportError(io, error.code, error.message, exitCodeFor(error.code), options.json);
        return;
      }
      pass = await readAllResults(backend, store, config, options.maxResults, () => clock.now());
    }
    const now = clock.now();
    const model = store.getModel();
    const detail = selectTaskDetail(model, options.id, now);
    const family = selectTaskFamily(model, options.id);
    if (detail === null || family === null) {
      const message = `task ${sanitize(options.id)} not found: no result meta, no waiting or reserved message and no event names it`;
      if (options.json)
        io.stdout.write(
          `${JSON.stringify({ schema: 'qtop-task/1', error: { code: 'not-found', message } })}\n`,
        );
      io.stderr.write(`qtop: ${message}\n`);
      io.setExitCode(exitCodes.notFound);
      return;
    }
    const meta = collection.meta(now - startedAt, complete, 0);
    if (options.json) {
      const docMeta: TaskDocumentMeta = {
        generatedAt: new Date(now).toISOString(),
        qtopVersion: meta.qtopVersion,
        broker: meta.broker,
        label: meta.label,
        windowMs: meta.windowMs,
        complete,
        resultsRead: pass.read,
        resultsCapped: pass.capped,
      };
      const doc = {
        schema: 'qtop-task/1',
        meta: docMeta,
        task: taskJson(detail, config.hideArgs),
        family: familyJson(family),
      };
      io.stdout.write(`${jsonLine(doc, secrets)}\n`);
    } else {
      const lines = [
        `task ${detail.id}  ${detail.name ?? '?'}  ${detail.state}${detail.worker ? `  on ${detail.worker}` : ''}`,
        `workflow: ${familyHeadline(family)}`,
        ...familyTreeRows(family).map((row) => familyRowText(row, family)),
        '(* critical path, < this task)',
      ];
      io.stdout.write(maskSecrets(`${lines.map((l) => sanitize(l)).join('\n')}\n`, secrets));
    }
    io.setExitCode(complete && !pass.capped ? exitCodes.ok : exitCodes.partial);
  } finally {
    if (backend !== null) backend.disconnect();
    await collector.stop();
  }
}
