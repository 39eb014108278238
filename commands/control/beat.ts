/**
 * The two writes qtop makes to a RedBeat schedule (docs/beat.md), as plain functions over an ioredis
 * client, each resolving with a ControlOutcome (never throwing for an expected failure):
 * - run now: publish the entry's task as beat would (`Scheduler.apply_async` calls
 *   `task.apply_async(args, kwargs, **entry.options)`): its queue or exchange/routing_key, priority,
 *   expires (seconds from now, or a time), countdown/eta and headers. The schedule is not touched
 *   (`advance` is beat's business): the next run stays due when it was.
 * - enable/disable: what `RedBeatSchedulerEntry.save()` does after `entry.enabled = X`: HSET the
 *   definition, HSETNX a meta, ZADD the schedule member with the score `due_at` gives (RedBeat
 *   keeps disabled entries in the schedule; its `is_due` skips them and re-checks every 5 s).
 * Routing set by the app's `task_routes` or the task decorator is not visible in Redis: entries
 * without routing options go to the default queue, unless the caller passes `queue`.
 */
import type { Redis } from 'ioredis';
import { nextCronFire } from '../../src/beat/crontab.js';
import { decodeDefinition, decodeMeta } from '../../src/beat/redbeat-decode.js';
import type { BeatDefinition } from '../../src/beat/types.js';
import { decodeBinding } from '../../src/celery/bindings.js';
import { jsonValueText, spliceJsonValue } from '../../src/celery/json-span.js';
import { bindingKey } from '../../src/celery/names.js';
import type { WireOptions } from '../../src/celery/options.js';
import { encodeTaskMessage, type TaskSpec } from '../../src/celery/task-encode.js';
import type { JsonObject } from '../../src/celery/types.js';
import type { ControlOutcome } from '../../src/control/controls.js';
import { isNoPerm, noPermReason, outcome } from './outcome.js';

export interface BeatWriteContext {
  redis: Redis;
  wire: WireOptions;
  /** `redbeat_key_prefix`; default `redbeat:`. */
  prefix?: string;
  /** `headers.origin`; default `qtop`. */
  origin?: string;
  /** The write gate (a ControlRuntime's `refuseWrite`): its refusal is returned before any write. */
  refuseWrite?: () => ControlOutcome | null;
  /** Epoch ms; default Date.now. */
  now?: () => number;
}

const DEFAULT_EMBED = '{"callbacks": null, "errbacks": null, "chain": null, "chord": null}';

/** Python's `isoformat()` of a UTC time, the only shape the task encoder (and Celery 5.2) accepts. */
function pythonIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

async function readEntry(ctx: BeatWriteContext, name: string) {
  const key = `${ctx.prefix ?? 'redbeat:'}${name}`;
  const [definition, meta] = await ctx.redis.hmget(key, 'definition', 'meta');
  return { key, raw: definition ?? null, meta: meta ?? null, decoded: decodeDefinition(definition ?? null) };
}

function failed(error: unknown, what: string): ControlOutcome {
  if (isNoPerm(error)) return outcome('no-permission', `refused: ${noPermReason(error)}`);
  const message = error instanceof Error ? error.message : String(error);
  const down = /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|max retries|Stream isn't writeable/i;
  return outcome(down.test(message) ? 'unreachable' : 'error', `${what} failed: ${message.split('\n')[0]}`);
}

/** The queues a publish to `exchange` with `routingKey` reaches (kombu's direct lookup), sorted. */
async function routedQueues(ctx: BeatWriteContext, exchange: string, routingKey: string): Promise<string[]> {
  const members = await ctx.redis.smembers(bindingKey(ctx.wire, exchange));
  const queues = new Set<string>();
  for (const member of members) {
    const binding = decodeBinding(member, ctx.wire.sep);
    if (binding.ok && binding.value.routingKey === routingKey) queues.add(binding.value.queue);
  }
  return [...queues].sort();
}

/** Where beat's apply_async would send the entry: queue option, exchange/routing_key, or the default. */
async function targets(ctx: BeatWriteContext, d: BeatDefinition, queue?: string): Promise<string[] | string> {
  if (queue) return [queue];
  const o = d.options;
  if (typeof o.queue === 'string' && o.queue) return [o.queue];
  if (o.queue !== undefined && o.queue !== null) return 'options.queue is not a queue name';
  if (typeof o.routing_key === 'string') {
    const exchange = typeof o.exchange === 'string' ? o.exchange : ctx.wire.defaultQueue;
    const queues = await routedQueues(ctx, exchange, o.routing_key);
    return queues.length
      ? queues
      : `no queue is bound to exchange '${exchange}' with routing key '${o.routing_key}'`;
  }
  return [ctx.wire.defaultQueue];
}

function specOf(ctx: BeatWriteContext, d: BeatDefinition, queue: string, now: number): TaskSpec | string {
  const o = d.options;
  const spec: TaskSpec = {
    name: d.task,
    args: d.args,
    kwargs: d.kwargs,
    queue,
    origin: ctx.origin ?? 'qtop',
  };
  if (o.priority !== undefined && o.priority !== null) {
    if (typeof o.priority !== 'number' || !Number.isInteger(o.priority))
      return 'options.priority is not an integer';
    spec.priority = Math.max(0, Math.min(255, o.priority));
  }
  // Seconds from now (Celery turns a number into now + seconds), or a time; null: not understood.
  const when = (value: unknown): string | null | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return pythonIso(now + value * 1000);
    if (typeof value === 'string' && Number.isFinite(Date.parse(value))) return pythonIso(Date.parse(value));
    return null;
  };
  const expires = when(o.expires);
  if (expires === null) return 'options.expires is neither seconds nor a time';
  if (expires) spec.expires = expires;
  const eta = o.countdown !== undefined ? when(o.countdown) : when(o.eta);
  if (eta === null) return 'options.countdown/eta is neither seconds nor a time';
  if (eta) spec.eta = eta;
  if (o.headers !== undefined && o.headers !== null) {
    if (typeof o.headers !== 'object' || Array.isArray(o.headers)) return 'options.headers is not an object';
    spec.extraHeaders = o.headers as JsonObject;
  }
  if (typeof o.shadow === 'string') spec.shadow = o.shadow;
  if (o.ignore_result === true) spec.ignoreResult = true;
  return spec;
}

/**
 * Publish RedBeat entry `name`'s task now, as beat would; `queue` overrides the entry's routing.
 * Details: `{entry, task, taskIds, queues}`.
 */
export async function runBeatEntryNow(
  ctx: BeatWriteContext,
  name: string,
  options: { queue?: string } = {},
): Promise<ControlOutcome> {
  const refused = ctx.refuseWrite?.();
  if (refused) return refused;
  try {
    const entry = await readEntry(ctx, name);
    if (entry.raw === null)
      return outcome('not-found', `no RedBeat entry '${name}' (${entry.key} does not exist)`);
    if (!entry.decoded.ok) return outcome('refused', `refused: ${entry.key}: ${entry.decoded.reason}`);
    const d = entry.decoded.value;
    const queues = await targets(ctx, d, options.queue);
    if (typeof queues === 'string') return outcome('refused', `refused: entry ${name}: ${queues}`);
    // The args and kwargs exactly as stored (big integers, 1.0 floats), not re-serialized by JavaScript.
    const rawArgs = jsonValueText(entry.raw, ['args']);
    const rawKwargs = jsonValueText(entry.raw, ['kwargs']);
    // None args or kwargs mean none (ScheduleEntry: `kwargs if kwargs else {}`).
    const argsText = rawArgs?.startsWith('[') ? rawArgs : '[]';
    const kwargsText = rawKwargs?.startsWith('{') ? rawKwargs : '{}';
    const bodyText = `[${argsText}, ${kwargsText}, ${DEFAULT_EMBED}]`;
    const now = (ctx.now ?? Date.now)();
    const ids: string[] = [];
    for (const queue of queues) {
      const spec = specOf(ctx, d, queue, now);
      if (typeof spec === 'string') return outcome('refused', `refused: entry ${name}: ${spec}`);
      const encoded = encodeTaskMessage(spec, ctx.wire);
      if (!encoded.ok) return outcome('refused', `refused: entry ${name}: ${encoded.reason}`);
      const body = JSON.stringify(Buffer.from(bodyText, 'utf8').toString('base64'));
      const raw = spliceJsonValue(encoded.value.raw, ['body'], body);
      if (raw === null) return outcome('error', 'internal: encoded message has no body');
      // Declare the queue like a producer, then push, in one MULTI (wire doc 5.2 step 5).
      const replies = await ctx.redis
        .multi()
        .sadd(encoded.value.bindingKey, encoded.value.bindingMember)
        .lpush(encoded.value.listKey, raw)
        .exec();
      const bad = replies?.find(([error]) => error);
      if (bad) throw bad[0];
      ids.push(encoded.value.id);
    }
    return outcome(
      'done',
      `sent ${d.task} for entry ${name} to ${queues.join(', ')}: ${ids.join(', ')}`,
      [],
      {
        entry: name,
        task: d.task,
        taskIds: ids,
        queues,
      },
    );
  } catch (error) {
    return failed(error, 'run now');
  }
}

/** RedBeat's `due_at` as a schedule score (Unix seconds), or null when qtop cannot compute it. */
export function redbeatScore(d: BeatDefinition, lastRunAt: number | null, now: number): number | null {
  // never run => due now; overdue => due now; else last_run_at + remaining_estimate(last_run_at)
  if (lastRunAt === null) return Math.floor(now / 1000);
  let next: number | null = null;
  if (d.schedule.kind === 'interval') next = lastRunAt + d.schedule.everySec * 1000;
  else if (d.schedule.kind === 'crontab') next = nextCronFire(d.schedule, lastRunAt);
  if (next === null) return null;
  const remaining = next - now;
  return Math.floor((remaining < 0 ? now : lastRunAt + remaining) / 1000);
}

/** Enable or disable RedBeat entry `name` as RedBeat's own `entry.enabled = X; entry.save()` does. */
export async function setBeatEntryEnabled(
  ctx: BeatWriteContext,
  name: string,
  enabled: boolean,
): Promise<ControlOutcome> {
  const refused = ctx.refuseWrite?.();
  if (refused) return refused;
  const verb = enabled ? 'enable' : 'disable';
  try {
    const entry = await readEntry(ctx, name);
    if (entry.raw === null)
      return outcome('not-found', `no RedBeat entry '${name}' (${entry.key} does not exist)`);
    if (!entry.decoded.ok) return outcome('refused', `refused: ${entry.key}: ${entry.decoded.reason}`);
    const d = entry.decoded.value;
    if (d.enabled === enabled)
      return outcome('done', `entry ${name} is already ${verb}d`, [], { entry: name, enabled });
    const flag = enabled ? 'true' : 'false';
    const definition =
      spliceJsonValue(entry.raw, ['enabled'], flag) ?? entry.raw.replace(/\}\s*$/, `, "enabled": ${flag}}`);
    const meta = decodeMeta(entry.meta);
    const scheduleKey = `${ctx.prefix ?? 'redbeat:'}:schedule`;
    const score =
      redbeatScore(d, meta.ok ? meta.value.lastRunAt : null, (ctx.now ?? Date.now)()) ??
      (await ctx.redis.zscore(scheduleKey, entry.key));
    const tx = ctx.redis.multi().hset(entry.key, 'definition', definition);
    tx.hsetnx(entry.key, 'meta', '{"last_run_at": null}');
    if (score !== null) tx.zadd(scheduleKey, String(score), entry.key);
    const replies = await tx.exec();
    const bad = replies?.find(([error]) => error);
    if (bad) throw bad[0];
    return outcome('done', `${verb}d entry ${name} (${d.task})`, [], { entry: name, enabled, score });
  } catch (error) {
    return failed(error, verb);
  }
}
