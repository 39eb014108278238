// Pre-built event traffic for the ingest benchmarks: `tasks` distinct tasks, each a
// task-received / task-started / task-succeeded triple from one of `workers` simulated workers,
// published on `/{db}.celeryev/task.multi` in batches of `batch` events (24 is Celery's flush
// limit; 1 gives one event per PUBLISH, still a one-item task.multi array as a 5.2 worker sends).
// The PUBLISH commands are encoded as RESP once, up front, so the publisher costs almost nothing
// while it replays them: the CPU of this 2-core machine goes to Redis and the consumer measured.
import { eventEnvelope, eventSource, receivedJson, startedJson, succeededJson } from '../../sim/events.mjs';

const NAMES = ['orders.process', 'emails.send', 'reports.build', 'images.resize', 'payments.charge'];

/**
 * Returns `{frames, offsets, eventCounts, payloads, messages, events, channel}`: frame i is
 * `frames.subarray(offsets[i], offsets[i + 1])` and carries `eventCounts[i]` events; `payloads`
 * holds the envelope strings (for in-process decoding measurements).
 */
export function buildEventPool({ tasks, batch = 24, workers = 8, db = 0 }) {
  const channel = `/${db}.celeryev/task.multi`;
  const sources = Array.from({ length: workers }, (_, i) => eventSource(`bench${i + 1}@loadgen`, 30_000 + i));
  const streams = sources.map(() => []);
  const start = Date.now() / 1000 - 60;
  for (let t = 0; t < tasks; t++) {
    const w = t % workers;
    const src = sources[w];
    const id = globalThis.crypto.randomUUID();
    const ts = start + t * 0.0001;
    const name = NAMES[t % NAMES.length];
    const task = { id, name, argsRepr: `(${t}, ${(t * 7) % 1000})`, kwargsRepr: '{}' };
    const runtime = 0.001 + (t % 97) / 1000;
    streams[w].push(
      receivedJson(src, task, ts),
      startedJson(src, id, ts + 0.0005),
      succeededJson(src, id, ts + 0.0005 + runtime, t % 3 === 0 ? 'None' : `${t * 2}`, runtime),
    );
  }
  // Chunk each worker's stream, then interleave the workers' messages as they would arrive.
  const perWorker = streams.map((events, w) => {
    const out = [];
    for (let i = 0; i < events.length; i += batch) {
      const chunk = events.slice(i, i + batch);
      out.push({
        payload: eventEnvelope(`[${chunk.join(', ')}]`, 'task.multi', sources[w].hostname),
        n: chunk.length,
      });
    }
    return out;
  });
  const ordered = [];
  const longest = Math.max(...perWorker.map((m) => m.length));
  for (let i = 0; i < longest; i++) for (const m of perWorker) if (m[i]) ordered.push(m[i]);

  const head = `*3\r\n$7\r\nPUBLISH\r\n$${Buffer.byteLength(channel)}\r\n${channel}\r\n`;
  const buffers = ordered.map(({ payload }) =>
    Buffer.from(`${head}$${Buffer.byteLength(payload)}\r\n${payload}\r\n`, 'utf8'),
  );
  const offsets = new Float64Array(buffers.length + 1);
  let at = 0;
  buffers.forEach((buffer, i) => {
    offsets[i] = at;
    at += buffer.length;
  });
  offsets[buffers.length] = at;
  return {
    channel,
    frames: Buffer.concat(buffers, at),
    offsets,
    eventCounts: Uint8Array.from(ordered.map((m) => m.n)),
    payloads: ordered.map((m) => m.payload),
    messages: ordered.length,
    events: tasks * 3,
    bytes: at,
  };
}
