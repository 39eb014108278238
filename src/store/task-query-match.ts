/**
 * The task filter, applied: whether one task (a held record, or a message still waiting in a
 * queue) matches a parsed query. Pure. A value the task does not carry never matches a positive
 * clause (a task with no runtime is not `runtime:>2s`), so its negation does.
 */
import { parsePythonLiteral } from '../celery/py-literal.js';
import type { Json, JsonObject } from '../celery/types.js';
import type { TaskRecord } from './model.js';
import { taskOrigin } from './task-display.js';
import type { Clause, CompareOp, TaskFilter, Term } from './task-query-parse.js';

/**
 * What a filter reads of a task: the record's fields, with an id that a waiting message may lack,
 * its age, and its stamps when the source carried them.
 */
export type QueryTarget = Pick<
  TaskRecord,
  | 'name'
  | 'state'
  | 'worker'
  | 'queue'
  | 'argsRepr'
  | 'kwargsRepr'
  | 'args'
  | 'kwargs'
  | 'result'
  | 'exception'
  | 'runtime'
  | 'retries'
> & {
  id: string | null;
  /** Seconds since sent/received/first seen; null when unknown. */
  ageSec: number | null;
  stamps?: JsonObject | null;
};

/** Longest text a `/regex/` is run over: a bound on the work one pattern can do per task. */
const maxRegexSubject = 16_384;

/** A held task as the filter sees it, its age taken at `nowMs`. */
export function recordTarget(record: TaskRecord, nowMs: number): QueryTarget {
  // Fields by name: a record's fields are accessors (compact-task-record.ts), which a spread skips.
  return {
    id: record.id,
    name: record.name,
    state: record.state,
    worker: record.worker,
    queue: record.queue,
    argsRepr: record.argsRepr,
    kwargsRepr: record.kwargsRepr,
    args: record.args,
    kwargs: record.kwargs,
    result: record.result,
    exception: record.exception,
    runtime: record.runtime,
    retries: record.retries,
    stamps: record.stamps,
    ageSec: Math.max(0, nowMs / 1000 - taskOrigin(record)),
  };
}

function haystack(t: QueryTarget): string {
  const parts = [t.id, t.name, t.argsRepr, t.kwargsRepr, t.result, t.exception];
  if (t.args !== null) parts.push(JSON.stringify(t.args));
  if (t.kwargs !== null) parts.push(JSON.stringify(t.kwargs));
  return parts.filter((p) => p !== null).join('\n');
}

/** A JSON value as the text a filter compares: strings bare, everything else as JSON. */
function valueText(value: Json | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function exactArgs(t: QueryTarget): Json[] | null {
  if (t.args !== null) return t.args;
  if (t.argsRepr === null) return null;
  const parsed = parsePythonLiteral(t.argsRepr);
  return parsed.ok && Array.isArray(parsed.value) ? parsed.value : null;
}

function exactKwargs(t: QueryTarget): JsonObject | null {
  if (t.kwargs !== null) return t.kwargs;
  if (t.kwargsRepr === null) return null;
  const parsed = parsePythonLiteral(t.kwargsRepr);
  const v = parsed.ok ? parsed.value : null;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
}

function compare(a: number, op: CompareOp, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return a === b;
  }
}

function listValue(t: QueryTarget, field: 'state' | 'name' | 'worker' | 'queue' | 'id'): string | null {
  return t[field];
}

/** `*` in the wanted value matches any run; otherwise exact. */
function valueMatches(actual: string | null, wanted: string): boolean {
  if (actual === null) return false;
  if (!wanted.includes('*')) return actual === wanted;
  const escaped = wanted.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`).test(actual);
}

function termMatches(term: Term, t: QueryTarget, hay: () => string): boolean {
  switch (term.kind) {
    case 'text':
      return hay().toLowerCase().includes(term.value);
    case 'regex':
      return term.re.test(hay().slice(0, maxRegexSubject));
    case 'list': {
      const value = listValue(t, term.field);
      return value !== null && term.patterns.some((p) => p.test(value));
    }
    case 'exception': {
      const exc = t.exception?.toLowerCase();
      return exc !== undefined && term.values.some((v) => exc.includes(v));
    }
    case 'args': {
      const args = exactArgs(t);
      if (args !== null) return args.some((a) => valueMatches(valueText(a), term.value));
      return false;
    }
    case 'pair': {
      const map = term.field === 'kwargs' ? exactKwargs(t) : (t.stamps ?? null);
      if (map === null || !Object.hasOwn(map, term.key)) return false;
      const value = map[term.key];
      // A canvas stamped twice under one name keeps a list: `stamp:k=v` matches any of its items.
      if (term.field === 'stamp' && term.value !== null && Array.isArray(value))
        return value.some((item) => valueMatches(valueText(item), term.value!));
      return term.value === null || valueMatches(valueText(value), term.value);
    }
    case 'number': {
      const value = term.field === 'age' ? t.ageSec : term.field === 'runtime' ? t.runtime : t.retries;
      return value !== null && compare(value, term.op, term.value);
    }
  }
}

function clauseMatches(clause: Clause, t: QueryTarget, hay: () => string): boolean {
  return termMatches(clause.term, t, hay) !== clause.negated;
}

/** Whether `t` matches `filter`: any alternative whose clauses all hold. */
export function matchesFilter(filter: TaskFilter, t: QueryTarget): boolean {
  let text: string | null = null;
  const hay = () => {
    text ??= haystack(t);
    return text;
  };
  return filter.alternatives.some((clauses) => clauses.every((c) => clauseMatches(c, t, hay)));
}
