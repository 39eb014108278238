/**
 * Shared by the control interop tests: run a control subcommand and parse its JSON outcome, read
 * result meta, collect events, and assert that no pidbox reply binding or reply list was left behind.
 */
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { decodeEventMessage } from '../../src/celery/events.js';
import type { CeleryEvent } from '../../src/celery/types.js';
import type { OutcomeKind, WorkerReply } from '../../src/control/controls.js';
import { type QtopRun, runQtop } from '../helpers/qtop-cli.js';
import { waitFor } from '../helpers/wait-for.js';

/** The `--json` outcome object of a control subcommand. */
export interface ControlJson {
  schema: string;
  command: string;
  ok: boolean;
  kind: OutcomeKind;
  summary: string;
  replies: WorkerReply[];
  details: Record<string, unknown>;
}

/** `qtop -b URL ARGS --json`; the outcome parsed, plus the raw run. */
export async function control(
  brokerUrl: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ out: ControlJson; run: QtopRun }> {
  const run = await runQtop(['-b', brokerUrl, ...args, '--json'], env, 40_000);
  let out: ControlJson;
  try {
    out = JSON.parse(run.stdout) as ControlJson;
  } catch {
    throw new Error(`qtop ${args.join(' ')} printed no JSON (code ${run.code}): ${run.stdout} ${run.stderr}`);
  }
  expect(out.schema).toBe('qtop-control/1');
  return { out, run };
}

/** The parsed `celery-task-meta-{id}`, or null. */
export async function meta(redis: Redis, id: string): Promise<Record<string, unknown> | null> {
  const raw = await redis.get(`celery-task-meta-${id}`);
  return raw === null ? null : (JSON.parse(raw) as Record<string, unknown>);
}

/** Wait until task `id`'s meta has `status` (default: any ready state), and return it. */
export async function waitMeta(redis: Redis, id: string, status?: string, timeoutMs = 20_000) {
  let last: Record<string, unknown> | null = null;
  await waitFor(
    async () => {
      last = await meta(redis, id);
      return (
        last !== null &&
        (status ? last.status === status : ['SUCCESS', 'FAILURE', 'REVOKED'].includes(String(last.status)))
      );
    },
    timeoutMs,
    () => `meta of ${id} to be ${status ?? 'ready'} (last: ${JSON.stringify(last)})`,
  );
  return last! as Record<string, unknown>;
}

/** Collects every event published on db `db` while open. */
export interface EventLog {
  events: CeleryEvent[];
  close(): void;
}

/** Subscribe to the event channel (wire doc 6.1) of `brokerUrl`'s db 0. */
export async function collectEvents(brokerUrl: string): Promise<EventLog> {
  const sub = new Redis(brokerUrl);
  const events: CeleryEvent[] = [];
  sub.on('pmessage', (_pattern: string, _channel: string, message: string) => {
    const batch = decodeEventMessage(message);
    if (batch.ok) events.push(...batch.value.events);
  });
  await sub.psubscribe('/0.celeryev/*');
  return { events, close: () => sub.disconnect() };
}

/** No reply binding member and no reply list remains (wire doc 7.2 step 6). */
export async function expectNoLeftovers(redis: Redis): Promise<void> {
  expect(await redis.smembers('_kombu.binding.reply.celery.pidbox')).toEqual([]);
  expect(await redis.keys('*.reply.celery.pidbox*')).toEqual([]);
}

/** The node names of the replies with `status`. */
export function nodes(replies: WorkerReply[], status: WorkerReply['status'] = 'ok'): string[] {
  return replies.filter((r) => r.status === status).map((r) => r.node);
}
