import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../commands/shared/local-redis.js';
import { type ClientOptions, connectRedis, createSubscriber } from '../../src/redis/client.js';
import { ConnectError } from '../../src/redis/connect-error.js';
import { parseRedisUrl, type RedisTarget } from '../../src/redis/url.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';

const once: ClientOptions = { interactive: false };
const opened: Redis[] = [];

function target(url: string): RedisTarget {
  const result = parseRedisUrl(url);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

async function connect(url: string, opts: ClientOptions = once): Promise<Redis> {
  const client = await connectRedis(target(url), opts);
  opened.push(client);
  return client;
}

/** The ConnectError a failed connect rejects with, plus how long it took. */
async function failure(
  url: string,
  opts: ClientOptions = once,
): Promise<{ error: ConnectError; ms: number }> {
  const started = Date.now();
  try {
    opened.push(await connectRedis(target(url), opts));
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectError);
    return { error: error as ConnectError, ms: Date.now() - started };
  }
  throw new Error(`expected connecting to ${url} to fail`);
}

afterEach(() => {
  for (const client of opened.splice(0)) client.disconnect();
});

describe('a server without password', () => {
  let server: RedisServer;
  let socketDir: string;
  let socket: string;
  beforeAll(async () => {
    socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-sock-'));
    socket = path.join(socketDir, 'redis.sock');
    server = await startRedis({ args: ['--unixsocket', socket, '--unixsocketperm', '700'] });
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(socketDir, { recursive: true, force: true });
  });

  it('connects, PINGs and names the connection', async () => {
    const client = await connect(server.url(0));
    expect(await client.ping()).toBe('PONG');
    expect(client.status).toBe('ready');
    expect(await client.client('GETNAME')).toBe('qtop');
  });

  it('selects the db from the URL', async () => {
    const writer = await connect(server.url(3));
    await writer.set('qtop:test:db', 'in-three');
    const reader = await connect(server.url(3));
    const other = await connect(server.url(0));
    expect(await reader.get('qtop:test:db')).toBe('in-three');
    expect(await other.get('qtop:test:db')).toBeNull();
  });

  it('rejects a db the server does not have as bad-db', async () => {
    const { error } = await failure(server.url(99));
    expect(error.code).toBe('bad-db');
    expect(error.message).toBe(
      "database 99 does not exist on this server (ERR DB index is out of range): use a db below 'databases' in redis.conf",
    );
  });

  it('connects over the unix socket on the right db', async () => {
    const client = await connect(`unix://${socket}?db=4`);
    await client.set('qtop:test:unix', 'yes');
    expect(await (await connect(server.url(4))).get('qtop:test:unix')).toBe('yes');
  });

  it('reports a missing unix socket as unreachable', async () => {
    const { error } = await failure(`unix://${socketDir}/missing.sock`);
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/no such socket file/);
  });

  it('gives a subscriber connection that receives what the command client publishes', async () => {
    const client = await connect(server.url(0));
    const subscriber = createSubscriber(client);
    opened.push(subscriber);
    const received = new Promise<string>((resolve) =>
      subscriber.on('message', (_channel, message) => resolve(message)),
    );
    await subscriber.subscribe('qtop-test-channel');
    await client.publish('qtop-test-channel', 'hello');
    expect(await received).toBe('hello');
    expect(await client.client('GETNAME')).toBe('qtop');
    expect(await client.client('LIST')).toMatch(/ name=qtop-sub /);
  });
});

describe('a server with a password and ACL users', () => {
  const password = 'p@ss/w:rd#1'; // URL delimiters: proves percent-decoding end to end
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis({ password });
    const admin = await connectRedis(target(server.url(0)), once);
    await admin.call('ACL', 'SETUSER', 'nobody', 'on', '>nobody-pw', '-@all');
    await admin.call('ACL', 'SETUSER', 'celery', 'on', '>celery-pw', '+@all', '~*', '&*');
    admin.disconnect();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('connects with the right percent-encoded password', async () => {
    expect(server.url(1)).toContain('%40');
    expect(await (await connect(server.url(1))).ping()).toBe('PONG');
  });

  it('connects as an ACL user', async () => {
    const client = await connect(`redis://celery:celery-pw@127.0.0.1:${server.port}/2`);
    expect(await client.call('ACL', 'WHOAMI')).toBe('celery');
  });

  it('rejects a wrong password as auth without printing either password', async () => {
    const { error } = await failure(`redis://:wrong-secret@127.0.0.1:${server.port}/0`);
    expect(error.code).toBe('auth');
    expect(error.message).toBe(
      `Redis refused the password for redis://:***@127.0.0.1:${server.port}/0 (WRONGPASS): check the password in the URL`,
    );
    expect(error.message).not.toContain('wrong-secret');
    expect(error.stack).not.toContain('wrong-secret');
    expect(error.cause).toBeUndefined();
  });

  it('rejects a missing password as auth (NOAUTH), on db 0 and on another db', async () => {
    for (const db of [0, 3]) {
      const { error } = await failure(`redis://127.0.0.1:${server.port}/${db}`);
      expect(error.code).toBe('auth');
      expect(error.message).toBe(
        `Redis requires a password (NOAUTH): put it in the URL as redis://:PASSWORD@127.0.0.1:${server.port}/${db}`,
      );
    }
  });

  it('rejects a user without permissions as noperm when it first runs a command (PING)', async () => {
    const { error } = await failure(`redis://nobody:nobody-pw@127.0.0.1:${server.port}/0`);
    expect(error.code).toBe('noperm');
    expect(error.message).toMatch(
      /^Redis user 'nobody' lacks a permission at redis:\/\/nobody:\*\*\*@127\.0\.0\.1:\d+\/0/,
    );
    expect(error.message).toContain("to run the 'ping' command");
    expect(error.message).not.toContain('nobody-pw');
  });

  it('reports noperm from the SELECT when the user cannot even select a db', async () => {
    const { error } = await failure(`redis://nobody:nobody-pw@127.0.0.1:${server.port}/2`);
    expect(error.code).toBe('noperm');
    expect(error.message).toContain("'select' command");
  });
});

describe('nothing to talk to', () => {
  it('rejects an unused port as unreachable, quickly when not interactive', async () => {
    const port = await freePort();
    const { error, ms } = await failure(`redis://:pw@127.0.0.1:${port}/0`);
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(
      `cannot reach Redis at redis://:***@127.0.0.1:${port}/0: connection refused ` +
        '(is redis-server running? check --broker or CELERY_BROKER_URL)',
    );
    expect(ms).toBeLessThan(6000);
  });

  it('keeps retrying when interactive, then rejects at the bound with the last cause', async () => {
    const port = await freePort();
    const { error, ms } = await failure(`redis://127.0.0.1:${port}/0`, {
      interactive: true,
      connectTimeoutMs: 1500,
    });
    expect(error.code).toBe('unreachable');
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(6000);
  });

  it('times out on a port that accepts but never answers', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const { error, ms } = await failure(`redis://127.0.0.1:${port}/0`, {
        interactive: false,
        connectTimeoutMs: 1000,
      });
      expect(error.code).toBe('timeout');
      expect(error.message).toMatch(
        /^connected to redis:\/\/127\.0\.0\.1:\d+\/0 but Redis did not answer after 1000 ms/,
      );
      expect(ms).toBeLessThan(6000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('after the server goes away', () => {
  it('fails a command at once while reconnecting instead of queueing it behind a dead connection', async () => {
    const server = await startRedis();
    const client = await connect(server.url(0), { interactive: true });
    const reconnecting = new Promise((resolve) => client.once('reconnecting', resolve));
    await server.stop();
    await reconnecting;
    const started = Date.now();
    await expect(client.get('anything')).rejects.toThrow(/Stream isn't writeable/);
    expect(Date.now() - started).toBeLessThan(100);
    expect(client.status).toBe('reconnecting');
  });
});
