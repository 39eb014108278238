import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Raw Celery 5.2 wire messages for the reliability tests, built by hand (wire doc 4-6) rather than
 * with qtop's own encoders, so a test can put anything in them: hostile names, a pickle payload,
 * a 20 MB argument.
 */

/** kombu's separator in binding members and priority list names. */
export const SEP = '\x06\x16';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

/** A kombu envelope around `body` (JSON unless a content type says otherwise). */
export function envelope(body: string | Buffer, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    body: b64(body),
    'content-encoding': 'utf-8',
    'content-type': 'application/json',
    headers: {},
    properties: {
      delivery_mode: 1,
      delivery_info: { exchange: 'celeryev', routing_key: 'worker.heartbeat' },
      priority: 0,
      body_encoding: 'base64',
      delivery_tag: randomUUID(),
    },
    ...fields,
  });
}

/** A `worker-heartbeat` event from `hostname`, sent now (wire doc 6.3). */
export function heartbeat(hostname: string, active = 0): string {
  return envelope(
    JSON.stringify({
      hostname,
      utcoffset: 0,
      pid: 4242,
      clock: 1,
      freq: 2.0,
      active,
      processed: 0,
      loadavg: [0.1, 0.1, 0.1],
      sw_ident: 'py-celery',
      sw_ver: '5.2.6',
      sw_sys: 'Linux',
      timestamp: Date.now() / 1000,
      type: 'worker-heartbeat',
    }),
    { headers: { hostname } },
  );
}

/** A `task-received` event for `id` on `hostname`. */
export function taskReceived(hostname: string, id: string, name: string, argsRepr: string): string {
  return envelope(
    JSON.stringify({
      hostname,
      utcoffset: 0,
      pid: 4242,
      clock: 2,
      uuid: id,
      name,
      args: argsRepr,
      kwargs: '{}',
      root_id: id,
      parent_id: null,
      retries: 0,
      eta: null,
      expires: null,
      timestamp: Date.now() / 1000,
      type: 'task-received',
    }),
    { headers: { hostname } },
  );
}

export interface TaskMessageOptions {
  id?: string;
  name?: string;
  args?: unknown[];
  queue?: string;
  /** The serialized `[args, kwargs, embed]` as sent, when it is not JSON (pickle) or hostile. */
  body?: string | Buffer;
  contentType?: string;
}

/** A protocol-2 task message as a producer LPUSHes it (wire doc 5.1). */
export function taskMessage(opts: TaskMessageOptions = {}): string {
  const id = opts.id ?? randomUUID();
  const args = opts.args ?? [];
  const body =
    opts.body ?? JSON.stringify([args, {}, { callbacks: null, errbacks: null, chain: null, chord: null }]);
  return envelope(body, {
    'content-type': opts.contentType ?? 'application/json',
    headers: {
      lang: 'py',
      task: opts.name ?? 'app.add',
      id,
      shadow: null,
      eta: null,
      expires: null,
      group: null,
      group_index: null,
      retries: 0,
      timelimit: [null, null],
      root_id: id,
      parent_id: null,
      argsrepr: JSON.stringify(args).slice(0, 200),
      kwargsrepr: '{}',
      origin: 'gen1@test',
      ignore_result: false,
    },
    properties: {
      correlation_id: id,
      reply_to: randomUUID(),
      delivery_mode: 2,
      delivery_info: { exchange: '', routing_key: opts.queue ?? 'celery' },
      priority: 0,
      body_encoding: 'base64',
      delivery_tag: randomUUID(),
    },
  });
}

/** Declare `queue` as Celery does (its binding, wire doc 3.1) and LPUSH `messages` onto it. */
export async function fillQueue(redis: Redis, queue: string, messages: (string | Buffer)[]): Promise<void> {
  await redis.sadd(`_kombu.binding.${queue}`, `${queue}${SEP}${SEP}${queue}`);
  for (const message of messages) await redis.lpush(queue, message);
}
