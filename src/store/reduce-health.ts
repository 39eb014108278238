/**
 * The health domain: per-source ok/failed state with remembered gaps, ingest counters, and
 * the Redis load qtop itself causes. A gap is time when a source was blind; other domains and
 * selectors read it so that missing data shows as unknown, never as zero.
 */
import { seriesMarkGap } from '../metrics/series.js';
import type { Action, SourceName } from './actions.js';
import type { Model } from './model.js';

/**
 * The source whose success an action proves, or null. Any completed read counts, even one
 * whose content was partly malformed: the connection and the command worked.
 */
function provenSource(action: Action): SourceName | null {
  switch (action.type) {
    case 'source/recovered':
      return action.source;
    case 'queues/sampled':
      return 'queues';
    case 'unacked/sampled':
      return 'unacked';
    case 'events/received':
    case 'events/malformed':
      return 'events';
    case 'inspect/replied':
    case 'pidbox/sampled':
      return 'inspect';
    case 'results/read':
      return 'results';
    case 'beat/sampled':
      return 'beat';
    default:
      return null;
  }
}

/**
 * Apply an action to source health, counters and load; returns whether anything changed.
 * A failure opens a gap (one per outage, however many polls fail); the next success closes
 * it. Gaps are bounded to `config.maxGaps` per source, oldest dropped first.
 */
export function reduceHealth(model: Model, action: Action): boolean {
  let changed = countAction(model, action);
  const proven = provenSource(action);
  if (proven !== null) {
    markOk(model, proven, action.at);
    changed = true;
  }
  if (action.type === 'source/failed') {
    const health = model.sources[action.source];
    health.ok = false;
    health.lastError = action.reason;
    health.lastErrorAt = action.at;
    const last = health.gaps.at(-1);
    if (!last || last.to !== null) health.gaps.push({ from: action.at, to: null, reason: action.reason });
    while (health.gaps.length > Math.max(1, model.config.maxGaps)) health.gaps.shift();
    changed = true;
  }
  if (action.type === 'source/gap-explained') {
    const health = model.sources[action.source];
    const gap = health.gaps.findLast((g) => g.from === action.from);
    if (gap) gap.reason = action.reason;
    if (health.lastErrorAt === action.from) health.lastError = action.reason;
    changed = gap !== undefined || changed;
  }
  changed = reduceWireChecks(model, action) || changed;
  if (action.type === 'load/measured' && action.windowMs > 0) {
    const perSec = 1000 / action.windowMs;
    model.load = {
      commandsPerSec: action.commands * perSec,
      bytesInPerSec: action.bytesIn * perSec,
      bytesOutPerSec: action.bytesOut * perSec,
      windowMs: action.windowMs,
      at: action.at,
    };
    changed = true;
  }
  return changed;
}

/** The latest sep and fanout verdicts (a fixed option clears them), and other-db results counted. */
function reduceWireChecks(model: Model, action: Action): boolean {
  const checks = model.wireChecks;
  if (action.type === 'queues/sampled' && action.sep) {
    checks.sepMismatch = action.sep.mismatch;
    return true;
  }
  if (action.type === 'pidbox/sampled' && action.fanoutPrefix) {
    checks.fanoutPrefixMismatch = action.fanoutPrefix.mismatch;
    return true;
  }
  if (action.type === 'results/read' && action.otherDb) {
    checks.resultsOtherDb += action.otherDb;
    return true;
  }
  return false;
}

function markOk(model: Model, source: SourceName, at: number): void {
  const health = model.sources[source];
  health.ok = true;
  health.lastOkAt = at;
  const last = health.gaps.at(-1);
  if (!last || last.to !== null) return;
  last.to = at;
  if (source === 'events') markEventGap(model, last.from, at);
}

/**
 * Events are never stored (wire doc 6.1): whatever was published while qtop was not
 * subscribed is lost. So every event-fed rate is unknown over the outage, and is flagged so
 * rather than reading as a quiet spell.
 */
function markEventGap(model: Model, from: number, to: number): void {
  for (const queue of model.queues.values()) {
    seriesMarkGap(queue.inRate, from, to);
    seriesMarkGap(queue.outRate, from, to);
  }
  for (const stats of model.taskNames.values()) {
    seriesMarkGap(stats.finishedRate, from, to);
    seriesMarkGap(stats.failedRate, from, to);
    seriesMarkGap(stats.retriedRate, from, to);
  }
}

function countAction(model: Model, action: Action): boolean {
  const counters = model.counters;
  switch (action.type) {
    case 'events/received': {
      counters.eventMessages += 1;
      counters.events += action.events.length;
      counters.eventsMalformed += action.malformed;
      counters.eventBytes += action.bytes;
      for (const event of action.events) bump(counters.eventsByType, event.type);
      return true;
    }
    case 'events/malformed':
      counters.eventMessages += 1;
      counters.eventsMalformed += 1;
      counters.eventBytes += action.bytes;
      return true;
    case 'results/read':
      counters.resultsRead += action.metas.length;
      counters.resultsMalformed += action.malformed;
      return true;
    default:
      return false;
  }
}

/** Count one more under `key`; an own property even for hostile names like `__proto__`. */
function bump(counts: Record<string, number>, key: string): void {
  if (Object.hasOwn(counts, key)) counts[key]! += 1;
  else Object.defineProperty(counts, key, { value: 1, writable: true, enumerable: true, configurable: true });
}
