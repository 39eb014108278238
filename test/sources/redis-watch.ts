import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { waitFor } from '../helpers/wait-for.js';

/** The only commands a source may send (plus ECHO, the watch's own end marker). */
export const READ_ONLY_COMMANDS = new Set([
  'scan',
  'smembers',
  'sscan',
  'llen',
  'lrange',
  'hlen',
  'hscan',
  'zscore',
  'zmscore',
  'zrange',
  'get',
  'mget',
  'getrange',
  'echo',
]);

/**
 * Record, with MONITOR, every command `client` sends between `watchCommands` and `stop()`.
 * `stop()` sends an ECHO marker through `client` and waits until MONITOR has shown it, so the list
 * is complete: MONITOR reports commands in execution order.
 */
export async function watchCommands(url: string, client: Redis): Promise<{ stop(): Promise<string[]> }> {
  // MONITOR names each command's connection by address; CLIENT ID finds `client`'s in CLIENT LIST.
  const id = await client.client('ID');
  const list = String(await client.client('LIST'));
  const line = list.split('\n').find((entry) => entry.startsWith(`id=${String(id)} `));
  const address = /addr=(\S+)/.exec(line ?? '')?.[1];
  if (!address) throw new Error(`cannot find client ${String(id)} in CLIENT LIST`);

  const watcher = new Redis(url);
  const monitor = await watcher.monitor();
  const commands: string[] = [];
  let marker: string | null = null;
  let seen = false;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source !== address) return; // the test's own setup and snapshot clients
    const name = args[0]?.toLowerCase() ?? '';
    if (name === 'echo' && args[1] === marker) seen = true;
    else commands.push([name, ...args.slice(1)].join(' '));
  });
  return {
    async stop() {
      marker = randomUUID();
      await client.echo(marker);
      await waitFor(() => seen, 5_000, 'MONITOR to show the end marker');
      monitor.disconnect();
      watcher.disconnect();
      return commands;
    },
  };
}

/** The command names among `lines` that a read-only source must never send. */
export function writesOrBlocking(lines: string[]): string[] {
  return lines.map((line) => line.split(' ')[0]!).filter((name) => !READ_ONLY_COMMANDS.has(name));
}

/** Every key of the client's db with its DUMP and TTL, to prove a sample changed nothing. */
export async function snapshot(redis: Redis): Promise<Map<string, string>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  const out = new Map<string, string>();
  for (const key of keys.sort()) {
    const dump = await redis.dumpBuffer(key);
    out.set(key, `${dump?.toString('hex')} ttl=${await redis.pttl(key)}`);
  }
  return out;
}
