/**
 * One table of the settings that can come from a flag, the environment or a profile of the config
 * file, with the validation each layer shares. Flags stay strings (commander hands them over that
 * way); environment and file values are checked here so their errors name the variable or the
 * file key rather than a flag the user never typed.
 */
import { parseDuration } from '../shared/duration.js';

/** The value kinds; each has one parser shared by the environment and the file. */
export type KeyKind = 'text' | 'number' | 'seconds' | 'steps' | 'fanout' | 'bool';

/** Keys of `GlobalFlags` that a profile may hold (written here to avoid an import cycle with config.ts). */
export type LayerKey =
  | 'broker'
  | 'backend'
  | 'keyprefix'
  | 'sep'
  | 'prioritySteps'
  | 'fanoutPrefix'
  | 'fanoutPatterns'
  | 'fanoutPrefixLiteral'
  | 'backendKeyprefix'
  | 'visibilityTimeout'
  | 'controlExchange'
  | 'unackedKey'
  | 'unackedIndexKey'
  | 'eventExchange'
  | 'defaultQueue'
  | 'redbeatPrefix'
  | 'redbeatLockKey'
  | 'masterName'
  | 'maxTasks'
  | 'peek'
  | 'queueInterval'
  | 'inspectInterval'
  | 'resultsInterval'
  | 'resultsScan'
  | 'timeout'
  | 'label'
  | 'readOnly'
  | 'hideArgs';

export interface KeySpec {
  key: LayerKey;
  /** Its name in a `[profiles.NAME]` table: Celery's and kombu's own setting names where one exists. */
  toml: string;
  /** Environment variables, first set wins. */
  env: string[];
  kind: KeyKind;
  /** Smallest number accepted (for `number` and `seconds`), as resolveConfig checks flags. */
  min?: number;
}

/** Every layered setting, in the order `qtop config` lists them. */
export const keySpecs: readonly KeySpec[] = [
  { key: 'broker', toml: 'broker_url', env: ['CELERY_BROKER_URL', 'QTOP_BROKER_URL'], kind: 'text' },
  {
    key: 'backend',
    toml: 'result_backend',
    env: ['CELERY_RESULT_BACKEND', 'QTOP_RESULT_BACKEND'],
    kind: 'text',
  },
  { key: 'masterName', toml: 'master_name', env: ['QTOP_MASTER_NAME'], kind: 'text' },
  { key: 'keyprefix', toml: 'global_keyprefix', env: ['QTOP_KEYPREFIX'], kind: 'text' },
  { key: 'sep', toml: 'sep', env: ['QTOP_SEP'], kind: 'text' },
  { key: 'prioritySteps', toml: 'priority_steps', env: ['QTOP_PRIORITY_STEPS'], kind: 'steps' },
  { key: 'fanoutPrefix', toml: 'fanout_prefix', env: ['QTOP_FANOUT_PREFIX'], kind: 'fanout' },
  { key: 'fanoutPatterns', toml: 'fanout_patterns', env: ['QTOP_FANOUT_PATTERNS'], kind: 'bool' },
  {
    key: 'fanoutPrefixLiteral',
    toml: 'fanout_prefix_literal',
    env: ['QTOP_FANOUT_PREFIX_LITERAL'],
    kind: 'bool',
  },
  {
    key: 'backendKeyprefix',
    toml: 'result_backend_global_keyprefix',
    env: ['QTOP_BACKEND_KEYPREFIX'],
    kind: 'text',
  },
  {
    key: 'visibilityTimeout',
    toml: 'visibility_timeout',
    env: ['QTOP_VISIBILITY_TIMEOUT'],
    kind: 'seconds',
    min: 1,
  },
  { key: 'controlExchange', toml: 'control_exchange', env: ['QTOP_CONTROL_EXCHANGE'], kind: 'text' },
  { key: 'unackedKey', toml: 'unacked_key', env: ['QTOP_UNACKED_KEY'], kind: 'text' },
  { key: 'unackedIndexKey', toml: 'unacked_index_key', env: ['QTOP_UNACKED_INDEX_KEY'], kind: 'text' },
  { key: 'eventExchange', toml: 'event_exchange', env: ['QTOP_EVENT_EXCHANGE'], kind: 'text' },
  { key: 'defaultQueue', toml: 'task_default_queue', env: ['QTOP_DEFAULT_QUEUE'], kind: 'text' },
  { key: 'redbeatPrefix', toml: 'redbeat_key_prefix', env: ['QTOP_REDBEAT_KEY_PREFIX'], kind: 'text' },
  { key: 'redbeatLockKey', toml: 'redbeat_lock_key', env: ['QTOP_REDBEAT_LOCK_KEY'], kind: 'text' },
  { key: 'queueInterval', toml: 'queue_interval', env: ['QTOP_QUEUE_INTERVAL'], kind: 'seconds', min: 0.1 },
  {
    key: 'inspectInterval',
    toml: 'inspect_interval',
    env: ['QTOP_INSPECT_INTERVAL'],
    kind: 'seconds',
    min: 0.1,
  },
  {
    key: 'resultsInterval',
    toml: 'results_interval',
    env: ['QTOP_RESULTS_INTERVAL'],
    kind: 'seconds',
    min: 0.1,
  },
  { key: 'resultsScan', toml: 'results_scan', env: ['QTOP_RESULTS_SCAN'], kind: 'number', min: 0 },
  { key: 'maxTasks', toml: 'max_tasks', env: ['QTOP_MAX_TASKS'], kind: 'number', min: 10 },
  { key: 'peek', toml: 'peek', env: ['QTOP_PEEK'], kind: 'number', min: 0 },
  { key: 'timeout', toml: 'timeout', env: ['QTOP_TIMEOUT'], kind: 'seconds', min: 0.1 },
  { key: 'label', toml: 'label', env: ['QTOP_LABEL'], kind: 'text' },
  { key: 'readOnly', toml: 'read_only', env: ['QTOP_READ_ONLY'], kind: 'bool' },
  { key: 'hideArgs', toml: 'hide_args', env: ['QTOP_HIDE_ARGS'], kind: 'bool' },
];

/** A value in the shape commander gives flags: a string, or a boolean for switches. */
export type LayerValue = string | boolean;

export type Parsed = { ok: true; value: LayerValue } | { ok: false; reason: string };

const truthy = new Set(['1', 'true', 'yes', 'on']);
const falsy = new Set(['0', 'false', 'no', 'off', '']);

function shown(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/**
 * Check one environment or file value (`raw`: a string from the environment, any TOML value from
 * the file) and turn it into the string or boolean a flag would have given.
 */
export function parseValue(spec: KeySpec, raw: unknown): Parsed {
  const fail = (want: string): Parsed => ({ ok: false, reason: `${want}, got ${shown(raw)}` });
  switch (spec.kind) {
    case 'text':
      return typeof raw === 'string' ? { ok: true, value: raw } : fail('must be a string');
    case 'bool':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (typeof raw === 'string' && truthy.has(raw.toLowerCase())) return { ok: true, value: true };
      if (typeof raw === 'string' && falsy.has(raw.toLowerCase())) return { ok: true, value: false };
      return fail('must be true or false');
    case 'fanout':
      if (typeof raw === 'boolean' || typeof raw === 'string') return { ok: true, value: String(raw) };
      return fail("must be true, false or a prefix such as '/{db}.'");
    case 'steps': {
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map(Number) : null;
      if (list?.length && list.every((s) => Number.isInteger(s) && s >= 0 && s <= 255))
        return { ok: true, value: list.join(',') };
      return fail('must be a list of integers 0..255 like [0, 3, 6, 9]');
    }
    case 'number':
    case 'seconds': {
      const min = spec.min ?? 0;
      let n =
        typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      // Durations read better in a file (`visibility_timeout = "2h"`); flags keep plain seconds.
      if (spec.kind === 'seconds' && typeof raw === 'string' && Number.isNaN(n)) {
        const duration = parseDuration(raw);
        if (duration.ok) n = duration.sec;
      }
      if (Number.isFinite(n) && n >= min && (spec.kind === 'seconds' || Number.isInteger(n)))
        return { ok: true, value: String(n) };
      const unit = spec.kind === 'seconds' ? `seconds >= ${min} (or a duration like 30s, 5m)` : `>= ${min}`;
      return fail(`must be ${spec.kind === 'number' ? 'a whole number' : 'a number of'} ${unit}`);
    }
  }
}
