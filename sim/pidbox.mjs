// The pidbox side of N simulated workers (wire doc 7): one PSUBSCRIBE on the broadcast channel
// (every real worker subscribes to exactly this name), requests decoded from the kombu envelope,
// the chosen workers picked by `destination` or `pattern`/`matcher`, and each worker's reply
// LPUSHed onto every reply queue bound with the request's routing key (SMEMBERS of the reply
// binding set: without a member the reply is dropped, as kombu does), carrying the ticket.
import { randomUUID } from 'node:crypto';
import { pyDumps } from './pyjson.mjs';

function globToRegExp(glob) {
  // fnmatch: * ? [seq] [!seq]; everything else literal, whole-name match.
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        const set = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${set}]`;
        i = end;
      }
    } else out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

/** Which of `hostnames` a request is for (kombu Node.handle_message's destination/pattern rules). */
export function chosen(body, hostnames) {
  const { destination, pattern, matcher } = body;
  if (Array.isArray(destination) && destination.length > 0) {
    const wanted = new Set(destination);
    return hostnames.filter((h) => wanted.has(h));
  }
  if (pattern && matcher) {
    const re = matcher === 'pcre' ? new RegExp(`^(?:${pattern})`) : globToRegExp(pattern);
    return hostnames.filter((h) => re.test(h));
  }
  return hostnames;
}

/** The kombu envelope of one worker's reply (fixture pidbox-reply-ping.json). */
export function replyEnvelope(hostname, value, ticket, clock, oid, replyExchange) {
  const body = Buffer.from(pyDumps({ [hostname]: value }), 'utf8').toString('base64');
  return pyDumps({
    body,
    'content-encoding': 'utf-8',
    'content-type': 'application/json',
    headers: { ticket, clock },
    properties: {
      delivery_mode: 1,
      delivery_info: { exchange: replyExchange, routing_key: oid },
      priority: 0,
      body_encoding: 'base64',
      delivery_tag: randomUUID(),
    },
  });
}

/**
 * Answer pidbox requests for the simulated workers. `handle(hostname, method, args)` returns
 * `{value, clock}` (the reply and the worker's Lamport clock), or `undefined` for no reply (a
 * `shutdown`), and may act on the simulation. `names`
 * is the dist/ names module, `opts` the wire options. Returns `{stop(), requests, replies}`.
 */
export async function startPidbox({ subscriber, redis, names, opts, hostnames, handle, onError }) {
  const channel = names.pidboxChannel(opts);
  const pattern = names.globEscape(channel);
  const replyExchange = names.replyExchange(opts);
  const counts = { requests: 0, replies: 0, dropped: 0 };

  async function onRequest(raw) {
    let body;
    try {
      const envelope = JSON.parse(raw);
      const text =
        envelope.properties?.body_encoding === 'base64'
          ? Buffer.from(envelope.body, 'base64').toString('utf8')
          : envelope.body;
      body = JSON.parse(text);
    } catch {
      return; // kombu logs and drops an undecodable request
    }
    if (typeof body?.method !== 'string') return;
    counts.requests += 1;
    const targets = chosen(body, hostnames());
    const replies = [];
    for (const hostname of targets) {
      const answer = await handle(hostname, body.method, body.arguments ?? {});
      if (answer && body.reply_to && body.ticket) replies.push([hostname, answer.value, answer.clock]);
    }
    if (replies.length === 0) return;
    const oid = body.reply_to.routing_key;
    const members = await redis.smembers(names.replyBindingKey(opts));
    const queues = members
      .map((member) => member.split(opts.sep))
      .filter((parts) => parts.length === 3 && parts[0] === oid)
      .map((parts) => names.prefixed(opts, parts[2]));
    if (queues.length === 0) {
      counts.dropped += replies.length; // no binding: kombu drops the reply silently (wire doc 7.2)
      return;
    }
    const pipeline = redis.pipeline();
    for (const [hostname, value, clock] of replies) {
      const envelope = replyEnvelope(hostname, value, body.ticket, clock, oid, replyExchange);
      for (const queue of queues) pipeline.lpush(queue, envelope);
    }
    await pipeline.exec();
    counts.replies += replies.length;
  }

  const onMessage = (from, _channel, message) => {
    if (from !== pattern) return;
    onRequest(message).catch((error) => onError?.(error));
  };
  subscriber.on('pmessage', onMessage);
  await subscriber.psubscribe(pattern);
  return {
    counts,
    async stop() {
      subscriber.off('pmessage', onMessage);
      await subscriber.punsubscribe(pattern).catch(() => {});
    },
  };
}
