import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireOptions } from '../../src/celery/options.js';
import { encodeTaskMessage } from '../../src/celery/task-encode.js';
import { qtopBin } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';
import { pressIn } from './tmux-keys.js';

// `:ctx` end to end: the built qtop in tmux with a config file of three profiles over two real
// redis-servers (the second behind a password). A typo and a wrong password leave the screen on
// its cluster with one error line; `:ctx second` swaps to the other cluster's queue, names it in
// the header, closes every connection to the first, and no password ever reaches the screen.
// Needs `npm run build` first.
const password = 's3cret-ctx-pw';
const wrong = 'not-the-pw-9f3';
let first: RedisServer;
let second: RedisServer;
let tmux: TmuxSession;
let home: string;

/** Publish one valid Celery 5.2 task message to `queue`, as a producer would (wire doc 5.2). */
async function enqueue(url: string, queue: string): Promise<void> {
  const encoded = encodeTaskMessage({ name: 'app.add', args: [1, 2], kwargs: {}, queue }, wireOptions());
  if (!encoded.ok) throw new Error(encoded.reason);
  const redis = new Redis(url);
  try {
    await redis.sadd(encoded.value.bindingKey, encoded.value.bindingMember);
    await redis.lpush(encoded.value.listKey, encoded.value.raw);
  } finally {
    redis.disconnect();
  }
}

/** Names of qtop's connections to `server` (the collector's and the controls'). */
async function qtopClients(server: RedisServer, auth?: string): Promise<string[]> {
  const redis = new Redis({ port: server.port, host: server.host, ...(auth ? { password: auth } : {}) });
  try {
    const list = String(await redis.client('LIST'));
    return [...list.matchAll(/ name=(qtop\S*)/g)].map((m) => m[1]!);
  } finally {
    redis.disconnect();
  }
}

const press = (id: string) => pressIn(tmux, id);

/**
 * Type `:line` and Enter, waiting for the prompt and then the typed line on screen: keys sent
 * before the prompt opens can reach Ink in one chunk with the ':' and be lost (seen once in CI).
 */
async function prompt(line: string): Promise<void> {
  await press('app.prompt');
  await tmux.waitForText('Enter run · Esc cancel', 10_000);
  await tmux.sendText(line);
  await tmux.waitForText(`:${line}█`, 10_000);
  await press('prompt.run');
}

beforeAll(async () => {
  first = await startRedis();
  second = await startRedis({ password });
  await enqueue(first.url(0), 'alpha-q');
  await enqueue(second.url(0), 'second-q');
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-ctx-'));
  fs.mkdirSync(path.join(home, 'qtop'));
  fs.writeFileSync(
    path.join(home, 'qtop', 'config.toml'),
    [
      'default_profile = "first"',
      '[profiles.first]',
      `broker_url = "redis://127.0.0.1:${first.port}/0"`,
      '[profiles.second]',
      `broker_url = "redis://:${password}@127.0.0.1:${second.port}/0"`,
      'label = "stage2"',
      '[profiles.wrongpw]',
      `broker_url = "redis://:${wrong}@127.0.0.1:${second.port}/0"`,
      '',
    ].join('\n'),
  );
  tmux = await startTmux({
    // No CELERY_* or QTOP_* of the developer's shell may pick the cluster instead of the file.
    command: [
      'bash',
      '-c',
      `unset \${!CELERY_*} \${!QTOP_*}; node ${qtopBin} --timeout 3; echo EXITED:$?; sleep 30`,
    ],
    cols: 120,
    rows: 30,
    env: { XDG_CONFIG_HOME: home },
  });
});

afterAll(async () => {
  await tmux?.kill();
  await first?.stop();
  await second?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe(':ctx on the live screen', () => {
  it('starts on the default profile and names it in the header', async () => {
    const screen = await tmux.waitForText(/alpha-q\s+1\s/, 20_000);
    expect(screen.split('\n')[0]).toContain('ctx first');
    await prompt('ctx');
    await tmux.waitForText('profiles: first (current), second, wrongpw');
  });

  it('an unknown profile is one error line and the screen stays', async () => {
    await prompt('ctx nosuch');
    const screen = await tmux.waitForText("error: :ctx nosuch: no profile 'nosuch'");
    expect(screen).toContain('profiles: first, second, wrongpw');
    expect(screen).toMatch(/alpha-q\s+1\s/);
    expect(screen.split('\n')[0]).toContain('ctx first');
  });

  it('a refused password is one error line, masked, and the screen stays', async () => {
    await prompt('ctx wrongpw');
    const screen = await tmux.waitForText(/error: :ctx wrongpw: .*(WRONGPASS|password)/, 15_000);
    expect(screen).not.toContain(wrong);
    expect(screen).toMatch(/alpha-q\s+1\s/);
    expect(screen.split('\n')[0]).toContain('ctx first');
  });

  it(':ctx second shows the other cluster, names it, and closes the first', async () => {
    await prompt('ctx second');
    const screen = await tmux.waitForText(/second-q\s+1\s/, 20_000);
    const header = screen.split('\n')[0]!;
    expect(header).toContain('[ STAGE2 ]');
    expect(header).toContain('ctx second');
    expect(header).toContain(`redis://:***@127.0.0.1:${second.port}/0`);
    expect(screen).not.toContain('alpha-q');
    expect(screen).not.toContain(password);
    // the old session's collector and control connections are gone; the new one's are up
    await waitFor(
      async () => (await qtopClients(first)).length === 0,
      10_000,
      'no qtop client left on the first',
    );
    expect(await qtopClients(second, password)).toEqual(expect.arrayContaining(['qtop', 'qtop-control']));
  });

  it('switches back, and q still leaves cleanly', async () => {
    await prompt('ctx first');
    const screen = await tmux.waitForText(/alpha-q\s+1\s/, 20_000);
    expect(screen.split('\n')[0]).toContain('ctx first');
    await waitFor(async () => (await qtopClients(second, password)).length === 0, 10_000, 'second closed');
    await press('app.quit');
    const end = await tmux.waitForText('EXITED:0', 10_000);
    expect(end).not.toContain(password);
  });
});
