/**
 * The thresholds of `qtop check`, from flags over the profile's `[profiles.NAME.check]` table
 * over the defaults. One table of names drives both, so a flag and its file key cannot drift
 * (`--warn-backlog` is `warn_backlog`). A threshold is reached when the value is at or above it.
 */

import { fileError } from '../config/config-file.js';
import { parseDuration } from '../shared/duration.js';
import { UsageError } from '../shared/usage-error.js';

/** What a check reports when it is reached. */
export type Level = 'ok' | 'warning' | 'critical';

/** A warning and a critical bound; null: not checked. */
export interface Pair {
  warn: number | null;
  crit: number | null;
}

export interface Thresholds {
  /** Ready messages (every priority list) per queue; per-queue overrides win. */
  backlog: Pair;
  queueBacklog: Map<string, Pair>;
  /** Age of the longest-waiting message, seconds. */
  ageSec: Pair;
  queueAge: Map<string, Pair>;
  /** Level of a queue with messages and no consumer (default critical). */
  noConsumer: Level;
  /** Workers lost (heartbeats stopped, or a stale pidbox entry that did not answer). Default crit 1. */
  lost: Pair;
  /** failed / finished per task name, once at least `minFinished` have finished. */
  failureRate: Pair;
  minFinished: number;
  /** Slots to add on top of the current ones (the hint's `addSlots`). */
  slots: Pair;
}

type Kind = 'count' | 'duration' | 'ratio';
const pairs: Array<{
  name: string;
  field: 'backlog' | 'ageSec' | 'lost' | 'failureRate' | 'slots';
  kind: Kind;
}> = [
  { name: 'backlog', field: 'backlog', kind: 'count' },
  { name: 'age', field: 'ageSec', kind: 'duration' },
  { name: 'lost', field: 'lost', kind: 'count' },
  { name: 'failure-rate', field: 'failureRate', kind: 'ratio' },
  { name: 'slots', field: 'slots', kind: 'count' },
];

/** Keys of a `[profiles.NAME.check]` table. */
const knownKeys = new Set([
  ...pairs.flatMap((p) => [`warn_${p.name.replace('-', '_')}`, `crit_${p.name.replace('-', '_')}`]),
  'queue_backlog',
  'queue_age',
  'no_consumer',
  'min_finished',
]);

/** The raw check options, as commander gives flags (camelCase) or TOML gives the table. */
export type RawChecks = Record<string, unknown>;

/** Defaults: only the unambiguous failures alert unless asked (no consumer, a lost worker). */
export function defaultThresholds(): Thresholds {
  const none = (): Pair => ({ warn: null, crit: null });
  return {
    backlog: none(),
    queueBacklog: new Map(),
    ageSec: none(),
    queueAge: new Map(),
    noConsumer: 'critical',
    lost: { warn: null, crit: 1 },
    failureRate: none(),
    minFinished: 5,
    slots: none(),
  };
}

function camel(name: string): string {
  return name.replace(/[-_]([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function parseOne(kind: Kind, raw: unknown): number | string {
  if (kind === 'duration' && typeof raw === 'string') {
    const d = parseDuration(raw);
    return d.ok ? d.sec : d.reason;
  }
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n < 0) return `must be a number >= 0, got ${JSON.stringify(raw)}`;
  if (kind === 'ratio' && n > 1) return `must be a ratio between 0 and 1, got ${JSON.stringify(raw)}`;
  return n;
}

/** `WARN:CRIT` (either side may be empty) or a `[warn, crit]` array, per queue. */
function parseQueuePairs(kind: Kind, raw: unknown, fail: (reason: string) => never): Map<string, Pair> {
  const out = new Map<string, Pair>();
  const entries: Array<[string, unknown]> = Array.isArray(raw)
    ? raw.map((item) => {
        const text = String(item);
        const eq = text.lastIndexOf('=');
        if (eq <= 0) fail(`expected QUEUE=WARN:CRIT, got '${text}'`);
        return [text.slice(0, eq), text.slice(eq + 1)];
      })
    : typeof raw === 'object' && raw !== null
      ? Object.entries(raw)
      : fail(`expected QUEUE=WARN:CRIT entries, got ${JSON.stringify(raw)}`);
  for (const [queue, value] of entries) {
    const parts = Array.isArray(value) ? value : String(value).split(':');
    if (parts.length !== 2) fail(`${queue}: expected WARN:CRIT like 100:1000, got ${JSON.stringify(value)}`);
    const pair: Pair = { warn: null, crit: null };
    for (const [i, part] of parts.entries()) {
      if (part === '' || part === null) continue;
      const n = parseOne(kind, part);
      if (typeof n === 'string') fail(`${queue}: ${n}`);
      pair[i === 0 ? 'warn' : 'crit'] = n as number;
    }
    out.set(queue, pair);
  }
  return out;
}

/** Apply one layer (flags or the file table) over `t`; `fail` builds that layer's one-line error. */
function applyLayer(
  t: Thresholds,
  raw: RawChecks,
  name: (key: string) => string,
  fail: (key: string, reason: string) => never,
) {
  for (const spec of pairs) {
    for (const side of ['warn', 'crit'] as const) {
      const key = `${side}-${spec.name}`;
      const value = raw[camel(key)] ?? raw[key.replace(/-/g, '_')];
      if (value === undefined) continue;
      const n = parseOne(spec.kind, value);
      if (typeof n === 'string') fail(name(key), n);
      t[spec.field] = { ...t[spec.field], [side]: n };
    }
  }
  for (const [key, kind, field] of [
    ['queue-backlog', 'count', 'queueBacklog'],
    ['queue-age', 'duration', 'queueAge'],
  ] as const) {
    const value = raw[camel(key)] ?? raw[key.replace(/-/g, '_')];
    if (value === undefined) continue;
    for (const [queue, pair] of parseQueuePairs(kind, value, (reason) => fail(name(key), reason)))
      t[field].set(queue, pair);
  }
  const level = raw.onNoConsumer ?? raw.no_consumer;
  if (level !== undefined) {
    if (level !== 'ok' && level !== 'warning' && level !== 'critical')
      fail(name('no-consumer'), `must be ok, warning or critical, got ${JSON.stringify(level)}`);
    t.noConsumer = level as Level;
  }
  const min = raw.minFinished ?? raw.min_finished;
  if (min !== undefined) {
    const n = parseOne('count', min);
    if (typeof n === 'string' || !Number.isInteger(n))
      fail(name('min-finished'), `must be a whole number, got ${JSON.stringify(min)}`);
    t.minFinished = n as number;
  }
}

/**
 * Thresholds from the profile's check table (`file`, errors name its key) under the flags (errors
 * name the flag). A warning bound above its critical one is a usage error, since it never fires.
 */
export function resolveThresholds(
  flags: RawChecks,
  file: { path: string; profile: string; table: RawChecks } | null,
): Thresholds {
  const t = defaultThresholds();
  if (file) {
    const unknown = Object.keys(file.table).find((key) => !knownKeys.has(key));
    if (unknown !== undefined)
      throw fileError(
        file.path,
        `profiles.${file.profile}.check.${unknown}`,
        `unknown key (known: ${[...knownKeys].join(', ')})`,
      );
    applyLayer(
      t,
      file.table,
      (key) => `profiles.${file.profile}.check.${key.replace(/-/g, '_')}`,
      (key, reason) => {
        throw fileError(file.path, key, reason);
      },
    );
  }
  applyLayer(
    t,
    flags,
    (key) => `--${key}`,
    (key, reason) => {
      throw new UsageError(`${key} ${reason}`);
    },
  );
  for (const spec of pairs) {
    const { warn, crit } = t[spec.field];
    if (warn !== null && crit !== null && warn > crit)
      throw new UsageError(
        `the warning ${spec.name} threshold (${warn}) is above the critical one (${crit})`,
      );
  }
  return t;
}
