import net from 'node:net';

/** A TCP port that was free a moment ago on 127.0.0.1 (never 6379: the machine's own Redis is there). */
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
