// In-process CPU per event of qtop's decode and decode + store.dispatch (no Redis), in µs of this
// thread's CPU time (process.cpuUsage, so other processes' turns on a shared machine do not count).
// Usage: node bench/sim/cpu-per-event.mjs [--ms 2000]
import { parseArgs } from 'node:util';
import { decodeEventMessage } from '../../dist/src/celery/events.js';
import { createStore } from '../../dist/src/store/store.js';
import { buildEventPool } from './event-pool.mjs';

const { values } = parseArgs({ options: { ms: { type: 'string' }, tasks: { type: 'string' } } });
const budget = Number(values.ms ?? 2_000);

function cpuMicros() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

export function measure(pool, fn) {
  const warm = Math.min(pool.messages, 3_000);
  for (let i = 0; i < warm; i++) fn(pool.payloadBuffers[i], pool.payloads[i]);
  let events = 0;
  const t0 = performance.now();
  const c0 = cpuMicros();
  let i = 0;
  while (performance.now() - t0 < budget) {
    for (let k = 0; k < 256; k++) {
      fn(pool.payloadBuffers[i], pool.payloads[i]);
      events += pool.eventCounts[i];
      i = (i + 1) % pool.messages;
    }
  }
  return (cpuMicros() - c0) / events;
}

for (const batch of [24, 1]) {
  const pool = buildEventPool({ tasks: Number(values.tasks ?? 20_000), batch });
  pool.payloadBuffers = pool.payloads.map((p) => Buffer.from(p, 'utf8'));
  const decode = measure(pool, (buf) => decodeEventMessage(buf.toString('utf8')));
  const store = createStore({ clock: { now: Date.now, setTimeout, clearTimeout } });
  const reduce = measure(pool, (buf) => {
    const decoded = decodeEventMessage(buf.toString('utf8'));
    if (decoded.ok) {
      const { events, malformed } = decoded.value;
      store.dispatch({
        type: 'events/received',
        at: Date.now(),
        events,
        malformed: malformed.length,
        bytes: buf.length,
      });
    }
  });
  console.log(
    JSON.stringify({
      batch,
      decodeUs: +decode.toFixed(3),
      decodeReduceUs: +reduce.toFixed(3),
      tasks: store.getModel().tasks.size,
    }),
  );
}
