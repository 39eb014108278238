/**
 * The run configuration: global flags, then environment, then defaults, validated into one
 * typed value. Every bad value becomes a one-line usage error naming the flag.
 */
import { type WireOptions, wireOptions } from '../../src/celery/options.js';
import {
  type BeatSourceOptions,
  defaultBeatSourceOptions,
  redbeatLockKey,
} from '../../src/sources/beat-source.js';
import type { ModelConfig } from '../../src/store/model.js';
import { UsageError } from '../shared/usage-error.js';
import { type FileLayer, layerValues, loadFileLayer } from './profiles.js';

/** Raw global options as commander hands them over (all strings or booleans). */
export interface GlobalFlags {
  broker?: string;
  backend?: string;
  keyprefix?: string;
  sep?: string;
  prioritySteps?: string;
  fanoutPrefix?: string;
  fanoutPrefixLiteral?: boolean;
  backendKeyprefix?: string;
  fanoutPatterns?: boolean;
  visibilityTimeout?: string;
  controlExchange?: string;
  unackedKey?: string;
  unackedIndexKey?: string;
  eventExchange?: string;
  defaultQueue?: string;
  redbeatPrefix?: string;
  redbeatLockKey?: string;
  masterName?: string;
  maxTasks?: string;
  peek?: string;
  label?: string;
  readOnly?: boolean;
  hideArgs?: boolean;
  queueInterval?: string;
  inspectInterval?: string;
  resultsInterval?: string;
  resultsScan?: string;
  timeout?: string;
  /** `--config FILE` and `--profile NAME` (commands/profiles.ts). */
  config?: string;
  profile?: string;
}

/** How often each source runs, in ms. */
export interface Cadence {
  queues: number;
  inspect: number;
  results: number;
}

export interface RunConfig {
  brokerUrl: string;
  backendUrl: string;
  /** Set when the backend is not Redis (rpc://, db+…): results are then not read. */
  backendNote: string | null;
  masterName: string | undefined;
  wire: WireOptions;
  /** Where RedBeat keeps its schedule and lock (`redbeat_key_prefix`, `redbeat_lock_key`). */
  beat: BeatSourceOptions;
  model: Partial<ModelConfig>;
  peek: number;
  label: string | null;
  readOnly: boolean;
  hideArgs: boolean;
  cadence: Cadence;
  /** Most result keys read per results tick (existing `celery-task-meta-*`). */
  resultsScanBudget: number;
  /** Bound on connecting, on one pidbox round, and on an outage `--json --watch` waits out, ms. */
  timeoutMs: number;
}

const defaultBroker = 'redis://localhost:6379/0';

function number(flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) {
    throw new UsageError(`${flag} must be a number >= ${min}, got '${value}'`);
  }
  return parsed;
}

function seconds(flag: string, value: string | undefined, fallbackMs: number, minMs = 100): number {
  return value === undefined ? fallbackMs : Math.round(number(flag, value, 0, minMs / 1000) * 1000);
}

function prioritySteps(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const steps = value.split(',').map((step) => Number(step.trim()));
  if (steps.length === 0 || steps.some((s) => !Number.isInteger(s) || s < 0 || s > 255)) {
    throw new UsageError(`--priority-steps takes integers like 0,3,6,9, got '${value}'`);
  }
  return [...new Set(steps)].sort((a, b) => a - b);
}

function fanoutPrefix(value: string | undefined): boolean | string | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/**
 * RedBeat's names: `redbeat_key_prefix` (default `redbeat:`) and `redbeat_lock_key` (default
 * `{prefix}:lock`; `none` for a RedBeat run with `redbeat_lock_key = None`, which has no lock).
 */
function beatOptions(prefix: string | undefined, lockKey: string | undefined): BeatSourceOptions {
  if (prefix === '')
    throw new UsageError("--redbeat-prefix must not be empty (RedBeat's default is 'redbeat:')");
  const p = prefix ?? defaultBeatSourceOptions.prefix;
  const lock = lockKey === undefined ? undefined : lockKey.toLowerCase() === 'none' ? null : lockKey;
  return { ...defaultBeatSourceOptions, prefix: p, lockKey: redbeatLockKey(p, lock) };
}

function backend(url: string): { url: string; note: string | null } {
  if (/^(redis|rediss|unix|redis\+socket|socket|sentinel):/i.test(url)) return { url, note: null };
  const scheme = url.split(':')[0] ?? url;
  return { url, note: `result backend '${scheme}' is not Redis: results are not read` };
}

/**
 * Merge flags over the environment (`CELERY_BROKER_URL`, `CELERY_RESULT_BACKEND`, `QTOP_*`) over
 * the config file's profile. `file` omitted: the file is read from `--config`/XDG (profiles.ts).
 */
export function resolveConfig(flags: GlobalFlags, env: NodeJS.ProcessEnv, file?: FileLayer): RunConfig {
  const layered = layerValues(flags, env, file ?? loadFileLayer(flags, env)).values;
  return resolveLayered({ ...flags, ...layered } as GlobalFlags, env);
}

function resolveLayered(flags: GlobalFlags, env: NodeJS.ProcessEnv): RunConfig {
  const brokerUrl = flags.broker ?? env.CELERY_BROKER_URL ?? env.QTOP_BROKER_URL ?? defaultBroker;
  const backendChoice = backend(
    flags.backend ?? env.CELERY_RESULT_BACKEND ?? env.QTOP_RESULT_BACKEND ?? brokerUrl,
  );
  const overrides: Partial<WireOptions> = {};
  const prefix = flags.keyprefix ?? env.QTOP_KEYPREFIX;
  if (prefix !== undefined) overrides.globalKeyprefix = prefix;
  if (flags.sep !== undefined) overrides.sep = flags.sep;
  const steps = prioritySteps(flags.prioritySteps);
  if (steps) overrides.prioritySteps = steps;
  const fanout = fanoutPrefix(flags.fanoutPrefix);
  if (fanout !== undefined) overrides.fanoutPrefix = fanout;
  if (flags.fanoutPatterns === false) overrides.fanoutPatterns = false;
  if (flags.fanoutPrefixLiteral === true) overrides.fanoutPrefixLiteral = true;
  const backendPrefix = flags.backendKeyprefix ?? env.QTOP_BACKEND_KEYPREFIX;
  if (backendPrefix !== undefined) overrides.backendKeyprefix = backendPrefix;
  if (flags.visibilityTimeout !== undefined) {
    overrides.visibilityTimeout = number('--visibility-timeout', flags.visibilityTimeout, 3600, 1);
  }
  if (flags.controlExchange) overrides.controlExchange = flags.controlExchange;
  // kombu transport options unacked_key / unacked_index_key (the mutex is never touched by qtop).
  if (flags.unackedKey) overrides.unackedKey = flags.unackedKey;
  if (flags.unackedIndexKey) overrides.unackedIndexKey = flags.unackedIndexKey;
  if (flags.eventExchange) overrides.eventExchange = flags.eventExchange;
  if (flags.defaultQueue) overrides.defaultQueue = flags.defaultQueue;
  const maxTasks = number('--max-tasks', flags.maxTasks, 10_000, 10);
  return {
    brokerUrl,
    backendUrl: backendChoice.url,
    backendNote: backendChoice.note,
    masterName: flags.masterName ?? env.QTOP_MASTER_NAME,
    wire: wireOptions(overrides),
    beat: beatOptions(
      flags.redbeatPrefix ?? env.QTOP_REDBEAT_KEY_PREFIX,
      flags.redbeatLockKey ?? env.QTOP_REDBEAT_LOCK_KEY,
    ),
    model: { maxTasks },
    peek: number('--peek', flags.peek, 10, 0),
    label: flags.label ?? env.QTOP_LABEL ?? null,
    readOnly: flags.readOnly === true || env.QTOP_READ_ONLY === '1',
    hideArgs: flags.hideArgs === true || env.QTOP_HIDE_ARGS === '1',
    cadence: {
      queues: seconds('--queue-interval', flags.queueInterval, 1_000),
      inspect: seconds('--inspect-interval', flags.inspectInterval, 5_000),
      results: seconds('--results-interval', flags.resultsInterval, 2_000),
    },
    resultsScanBudget: number('--results-scan', flags.resultsScan, 500, 0),
    timeoutMs: seconds('--timeout', flags.timeout, 5_000),
  };
}
