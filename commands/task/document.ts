/**
 * What `qtop task ID --json` prints (schema/qtop-task-1.schema.json): the task's detail, as the
 * screen's detail view shows it, and its workflow family. Times are ISO strings, durations seconds.
 */
import type { Json, JsonObject } from '../../src/celery/types.js';
import type { TaskDetail } from '../../src/store/select-task-detail.js';
import type { TaskFamily } from '../../src/store/select-task-family.js';

export interface TaskDocumentMeta {
  generatedAt: string;
  qtopVersion: string;
  broker: string;
  label: string | null;
  windowMs: number;
  complete: boolean;
  /** Result metas read by the full pass over the backend, and whether the pass was cut short. */
  resultsRead: number;
  resultsCapped: boolean;
}

const iso = (sec: number | null): string | null => (sec === null ? null : new Date(sec * 1000).toISOString());

/** The task detail as JSON; with `hideArgs`, the call, result and traceback are left out. */
export function taskJson(t: TaskDetail, hideArgs: boolean): JsonObject {
  const hidden = <T>(value: T): T | null => (hideArgs ? null : value);
  return {
    id: t.id,
    name: t.name,
    state: t.state,
    stateAt: iso(t.stateAt),
    worker: t.worker,
    queue: t.queue,
    args: hidden(t.args as Json),
    kwargs: hidden(t.kwargs as Json),
    argsRepr: hidden(t.argsRepr),
    kwargsRepr: hidden(t.kwargsRepr),
    argsExact: t.argsExact,
    result: hidden(t.result),
    exception: t.exception,
    traceback: hidden(t.traceback),
    runtime: t.runtime,
    retries: t.retries,
    eta: t.eta,
    expires: t.expires,
    rootId: t.rootId,
    parentId: t.parentId,
    groupId: t.groupId,
    chordId: t.chordId,
    children: t.children,
    retryOf: t.retryOf,
    retriedAs: t.retriedAs,
    sentAt: iso(t.sentAt),
    receivedAt: iso(t.receivedAt),
    startedAt: iso(t.startedAt),
    finishedAt: iso(t.finishedAt),
    ageSec: t.ageSec,
    terminated: t.terminated,
    signum: t.signum,
    expired: t.expired,
    origins: t.origins,
    timeline: t.timeline.map((e) => ({ type: e.type, at: iso(e.timestamp), hostname: e.hostname })),
    note: t.note,
    stamps: hidden(t.stamps),
  };
}

/** The family as JSON: nodes in tree order with their tree parent, edges with their kind. */
export function familyJson(f: TaskFamily): JsonObject {
  return {
    taskId: f.taskId,
    rootId: f.rootId,
    nodes: f.nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      seen: n.seen,
      name: n.name,
      state: n.state,
      worker: n.worker,
      queue: n.queue,
      runtime: n.runtime,
      startedAt: iso(n.startedAt),
      finishedAt: iso(n.finishedAt),
      retries: n.retries,
      parent: n.parent,
    })),
    edges: f.edges.map((e) => ({ from: e.from, to: e.to, kind: e.kind })),
    selfRetried: f.selfRetried,
    startedAt: iso(f.startedAt),
    finishedAt: iso(f.finishedAt),
    wallSec: f.wallSec,
    wallIsLowerBound: f.wallIsLowerBound,
    finished: f.finished,
    criticalPath: {
      ids: f.criticalPath.ids,
      sec: f.criticalPath.sec,
      secIsLowerBound: f.criticalPath.secIsLowerBound,
    },
    capped: f.capped,
  };
}
