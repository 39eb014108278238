// Replays a pre-built event pool (event-pool.mjs) into Redis at a steady rate over one raw socket:
// no client library, no per-message allocation, so the publisher is not what limits a benchmark.
// Every PUBLISH reply (the number of receivers) is read: a reply of 0 means the subscriber was not
// there (cut off by Redis, or reconnecting), so those events were lost at the source.
import net from 'node:net';

export async function openPublisher(port, host = '127.0.0.1') {
  const socket = net.connect(port, host);
  socket.setNoDelay(true);
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let replies = 0;
  let zeros = 0;
  let errors = 0;
  let carry = '';
  let waiter = null;
  socket.on('data', (chunk) => {
    const text = carry + chunk.toString('latin1');
    const last = text.lastIndexOf('\n');
    if (last === -1) {
      carry = text;
      return;
    }
    const lines = text.slice(0, last + 1);
    carry = text.slice(last + 1);
    let from = 0;
    for (;;) {
      const nl = lines.indexOf('\n', from);
      if (nl === -1) break;
      replies += 1;
      if (lines[from] === '-') errors += 1;
      else if (lines[from + 1] === '0' && lines[from + 2] === '\r') zeros += 1;
      from = nl + 1;
    }
    if (waiter && replies >= waiter.target) waiter.resolve();
  });
  socket.on('error', () => {});
  let cursor = 0;
  let sent = 0;

  function waitReplies(target, timeoutMs) {
    if (replies >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiter = null;
        resolve(false);
      }, timeoutMs);
      waiter = {
        target,
        resolve: () => {
          clearTimeout(timer);
          waiter = null;
          resolve(true);
        },
      };
    });
  }

  return {
    /**
     * Publish `pool` frames so that `eventsPerSec` events go out per second for `seconds`, then
     * wait until Redis has answered every PUBLISH. Resolves with what was actually sent.
     */
    async publish(pool, eventsPerSec, seconds) {
      const perMessage = pool.events / pool.messages;
      const messagesPerSec = eventsPerSec / perMessage;
      const repliesBefore = replies;
      const zerosBefore = zeros;
      let messages = 0;
      let events = 0;
      const started = performance.now();
      const end = started + seconds * 1000;
      for (;;) {
        const now = performance.now();
        if (now >= end) break;
        let due = Math.floor(((now - started) / 1000) * messagesPerSec) - messages;
        // Keep at most ~4 MB in our own socket buffer: beyond that Redis is not keeping up.
        if (due > 0 && socket.writableLength < 4 << 20) {
          while (due > 0) {
            const n = Math.min(due, pool.messages - cursor);
            const chunk = pool.frames.subarray(pool.offsets[cursor], pool.offsets[cursor + n]);
            socket.write(chunk);
            for (let i = cursor; i < cursor + n; i++) events += pool.eventCounts[i];
            messages += n;
            due -= n;
            cursor = (cursor + n) % pool.messages;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const wall = (performance.now() - started) / 1000;
      sent += messages;
      const answered = await waitReplies(repliesBefore + messages, 30_000);
      return {
        messages,
        events,
        seconds: wall,
        eventsPerSec: events / wall,
        /** PUBLISHes nobody received (the subscriber was gone). */
        unreceived: zeros - zerosBefore,
        allAnswered: answered,
      };
    },
    get counts() {
      return { replies, zeros, errors, sent };
    },
    close() {
      socket.destroy();
    },
  };
}
