import fs from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, createSubscriber, parseRedisUrl } from '../../src/redis/index.js';
import { countLoad } from '../../src/redis/load-counter.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

let server: RedisServer;
let admin: Redis;
const opened: Redis[] = [];

beforeAll(async () => {
  server = await startRedis();
  admin = new Redis(server.url(0));
});

afterAll(async () => {
  for (const client of opened) client.disconnect();
  admin?.disconnect();
  await server?.stop();
});

/** A connected command client as qtop builds it (RESP2, CLIENT SETNAME qtop, reconnecting). */
async function qtopClient(): Promise<Redis> {
  const target = parseRedisUrl(server.url(0));
  if (!target.ok) throw new Error(target.reason);
  const client = createRedisClient(target.value, { interactive: true });
  opened.push(client);
  await client.ping();
  return client;
}

/** RESP size of a command as the client writes it: `*n\r\n` then `$len\r\narg\r\n` per argument. */
function respBytes(...args: string[]): number {
  const head = `*${args.length}\r\n`.length;
  return args.reduce((sum, arg) => {
    const len = Buffer.byteLength(arg);
    return sum + `$${len}\r\n`.length + len + 2;
  }, head);
}

describe('countLoad', () => {
  it('counts N commands (plain and pipelined) and their exact bytes on the wire', async () => {
    const client = await qtopClient();
    const counter = countLoad([client], 1_000);
    for (let i = 0; i < 10; i++) await client.set(`k${i}`, 'v'.repeat(i));
    const pipe = client.pipeline();
    for (let i = 0; i < 10; i++) pipe.get(`k${i}`);
    await pipe.exec();
    await client.llen('nothing');

    const load = counter.take(1_500);
    expect(load).toMatchObject({ at: 1_500, commands: 21, windowMs: 500 });
    let out = respBytes('llen', 'nothing');
    for (let i = 0; i < 10; i++) out += respBytes('set', `k${i}`, 'v'.repeat(i)) + respBytes('get', `k${i}`);
    expect(load.bytesOut).toBe(out);
    // +OK\r\n per SET, $i\r\n…\r\n per GET (k0 holds '' : $0\r\n\r\n), :0\r\n for the LLEN.
    let inBytes = 10 * 5 + 4;
    for (let i = 0; i < 10; i++) inBytes += `$${i}\r\n`.length + i + 2;
    expect(load.bytesIn).toBe(inBytes);

    expect(counter.take(2_000)).toMatchObject({ commands: 0, bytesIn: 0, bytesOut: 0, windowMs: 500 });
    counter.release();
    await client.ping();
    expect(counter.take(2_500).commands).toBe(0); // released: no longer counted
  });

  it("counts a subscriber's incoming pub/sub traffic as bytes in", async () => {
    const client = await qtopClient();
    const subscriber = createSubscriber(client);
    opened.push(subscriber);
    const got: Buffer[] = [];
    subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => got.push(message));
    await subscriber.subscribe('chan');
    const counter = countLoad([client, subscriber], 0);
    const payload = 'x'.repeat(1000);
    for (let i = 0; i < 5; i++) await admin.publish('chan', payload);
    await waitFor(() => got.length === 5, 5_000, 'five messages');
    const load = counter.take(100);
    expect(load.commands).toBe(0); // the server pushed them; qtop sent nothing
    // *3\r\n $7\r\nmessage\r\n $4\r\nchan\r\n $1000\r\n…\r\n
    expect(load.bytesIn).toBe(5 * (4 + 13 + 10 + 7 + 1000 + 2));
    counter.release();
  });

  it('keeps the bytes of a connection that was killed, and documents the reconnect handshake', async () => {
    const client = await qtopClient();
    const id = await client.client('ID');
    const counter = countLoad([client], 0);
    await client.set('a', 'b');
    await admin.client('KILL', 'ID', String(id));
    await waitFor(() => client.status !== 'ready', 5_000, 'the client to notice the kill');
    await waitFor(() => client.status === 'ready', 5_000, 'the client to reconnect');
    const afterKill = counter.take(10);
    // The SET, plus ioredis's handshake on the new connection: CLIENT SETNAME and two CLIENT SETINFO
    // (AUTH and SELECT too when the URL has a password or a db other than 0).
    expect(afterKill.commands).toBe(1 + 3);
    // Nothing of the killed socket is lost: its SET is in, next to the new socket's handshake.
    const version = (
      JSON.parse(fs.readFileSync('node_modules/ioredis/package.json', 'utf8')) as { version: string }
    ).version;
    expect(afterKill.bytesOut).toBe(
      respBytes('set', 'a', 'b') +
        respBytes('client', 'setname', 'qtop') +
        respBytes('client', 'SETINFO', 'LIB-VER', version) +
        respBytes('client', 'SETINFO', 'LIB-NAME', 'ioredis'),
    );
    // +OK for the SET and the SETNAME; Redis 7.0 answers SETINFO with an error of some length.
    expect(afterKill.bytesIn).toBeGreaterThan(5 + 5);
    await client.get('a');
    expect(counter.take(20).commands).toBe(1);
    counter.release();
  });
});
