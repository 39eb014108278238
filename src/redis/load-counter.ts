import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';

/** One window of measured load (the store's `load/measured` action carries these fields). */
export interface LoadWindow {
  at: number;
  commands: number;
  bytesIn: number;
  bytesOut: number;
  windowMs: number;
}
type SendCommand = Redis['sendCommand'];

/** Counts the load qtop puts on Redis through a set of clients; see {@link countLoad}. */
export interface LoadCounter {
  /** Commands and bytes since the previous `take` (or since `countLoad`), and that window's length. */
  take(at: number): LoadWindow;
  /** Stop counting: unwrap the clients and drop the listeners. */
  release(): void;
}

interface Tracked {
  client: Redis;
  wrapped: SendCommand;
  /** The instance's own `sendCommand` before ours (another wrapper), or null for the prototype's. */
  own: SendCommand | null;
  onClose: () => void;
  socket: Socket | null;
  read: number;
  written: number;
}

/**
 * Measure qtop's own Redis load (the `meta` section), so users can see what watching costs.
 *
 * What is measured:
 * - `commands`: every command handed to a client's `sendCommand`, which every call path goes through
 *   (plain calls, pipelines, MULTI). Each command object counts once, even when ioredis passes it again
 *   (offline-queue flush, resend after a reconnect). ioredis's own commands count too: a reconnect
 *   adds its handshake (CLIENT SETNAME, two CLIENT SETINFO, plus AUTH and SELECT when configured)
 *   and, on a subscriber, one (P)SUBSCRIBE per remembered channel or pattern.
 * - `bytesOut` / `bytesIn`: raw bytes written to / read from the clients' sockets (`bytesWritten`,
 *   `bytesRead`), so RESP framing, replies and pub/sub messages a subscriber receives are all
 *   included, exactly. Bytes of a socket that closes are settled on `close`, so reconnects lose
 *   nothing. For TLS connections these are Node's TLS socket counters.
 * `startedAt` is the start of the first window; pass the injected clock's `now()`.
 */
export function countLoad(clients: Redis[], startedAt = Date.now()): LoadCounter {
  let commands = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  let last = startedAt;
  const seen = new WeakSet<object>();

  const settle = (entry: Tracked) => {
    const socket = entry.client.stream as Socket | undefined;
    if (!socket) return;
    if (socket !== entry.socket) {
      // A new connection since the last look: all of its traffic is new.
      entry.socket = socket;
      entry.read = 0;
      entry.written = 0;
    }
    bytesIn += socket.bytesRead - entry.read;
    bytesOut += socket.bytesWritten - entry.written;
    entry.read = socket.bytesRead;
    entry.written = socket.bytesWritten;
  };

  const tracked: Tracked[] = [...new Set(clients)].map((client) => {
    const original = client.sendCommand;
    const wrapped: SendCommand = function (this: Redis, command, stream) {
      if (!seen.has(command)) {
        seen.add(command);
        commands++;
      }
      return original.call(this, command, stream);
    };
    const socket = (client.stream as Socket | undefined) ?? null;
    const entry: Tracked = {
      client,
      wrapped,
      own: Object.hasOwn(client, 'sendCommand') ? original : null,
      onClose: () => settle(entry),
      socket,
      // Traffic from before counting began is not ours to report.
      read: socket?.bytesRead ?? 0,
      written: socket?.bytesWritten ?? 0,
    };
    client.sendCommand = wrapped;
    // ioredis emits `close` before it creates the next socket, so the old one is still `stream`.
    client.on('close', entry.onClose);
    return entry;
  });

  return {
    take(at) {
      for (const entry of tracked) settle(entry);
      const action: LoadWindow = {
        at,
        commands,
        bytesIn,
        bytesOut,
        windowMs: at - last,
      };
      commands = 0;
      bytesIn = 0;
      bytesOut = 0;
      last = at;
      return action;
    },
    release() {
      for (const entry of tracked) {
        entry.client.off('close', entry.onClose);
        if (entry.client.sendCommand !== entry.wrapped) continue; // wrapped again since: leave it
        if (entry.own) entry.client.sendCommand = entry.own;
        else delete (entry.client as { sendCommand?: SendCommand }).sendCommand; // back to the prototype's
      }
    },
  };
}
