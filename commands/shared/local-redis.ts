/**
 * A private redis-server on this machine: a free port to put it on, the arguments that make it a
 * throwaway (loopback only, no persistence), and whether it answers yet. Shared by the demo, the
 * benchmarks (through dist/) and the test harness, so the three start Redis the same way.
 */
import net from 'node:net';

/** A TCP port that was free a moment ago on 127.0.0.1, never 6379 (the machine's own Redis). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const found = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(found));
      });
    });
    if (port !== 6379 && port > 0) return port;
  }
}

/** Whether a Redis on 127.0.0.1:`port` answers PING within 0.5 s (plain RESP, no client). */
export function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** redis-server arguments for a throwaway server: loopback only, nothing saved, `dir` for its files. */
export function throwawayRedisArgs(port: number, dir: string, logFile: string): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--logfile',
    logFile,
  ];
}
