import { describe, expect, it, vi } from 'vitest';

// Ink decides once, on import, whether it runs in CI (then it draws only the last frame).
vi.hoisted(() => {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
});

import { parsePrompt } from '../../views/keys/context/prompt-commands.js';
import { runScreen } from '../../views/render.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { clusterStore } from './cluster-fixture.js';
import { FakeTty, FakeTtyIn } from './fake-tty.js';
import { commandSequence } from './key-input.js';
import { fakeControls } from './render-screen.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

async function start(options: { showAll?: boolean; escToList?: boolean }) {
  const stdout = new FakeTty();
  const stdin = new FakeTtyIn();
  const clock = createFakeClock();
  const run = runScreen({
    store: clusterStore(clock),
    clock,
    controls: fakeControls(),
    broker: 'redis://localhost:6379/0',
    label: null,
    hideArgs: false,
    env: { NO_COLOR: '1' },
    ...options,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeTty() as unknown as NodeJS.WriteStream,
  });
  for (let i = 0; i < 250 && !stdout.text().includes('celery'); i++) await tick();
  const send = async (text: string) => {
    stdin.send(text);
    await tick();
  };
  return { run, stdout, send };
}

describe('leaving the screen for the list of every profile', () => {
  it(':all is a prompt command', () => {
    expect(parsePrompt('all')).toEqual({ kind: 'all' });
  });

  it(':all ends the run asking for the list', async () => {
    const { run, send } = await start({ showAll: true });
    await send(commandSequence('app.prompt'));
    await send('all');
    await send(commandSequence('prompt.run'));
    await expect(run).resolves.toEqual({ error: null, next: 'all' });
  });

  it(':all without profiles says why and stays', async () => {
    const { run, send, stdout } = await start({});
    await send(commandSequence('app.prompt'));
    await send('all');
    await send(commandSequence('prompt.run'));
    await vi.waitFor(() => expect(stdout.text()).toContain(':all lists the profiles'), { timeout: 5_000 });
    await send(commandSequence('app.quit'));
    await expect(run).resolves.toEqual({ error: null });
  });

  it('opened from the list, Esc goes back to it once nothing else is open', async () => {
    const { run, send, stdout } = await start({ showAll: true, escToList: true });
    await send(commandSequence('panel.queues'));
    await send(commandSequence('list.open'));
    await send(commandSequence('app.back'));
    await tick();
    // The queue detail closed first: the run goes on.
    await vi.waitFor(() => expect(stdout.text()).toContain('[1 Queues]'), { timeout: 5_000 });
    let ended = false;
    void run.then(() => {
      ended = true;
    });
    await tick();
    expect(ended).toBe(false);
    await send(commandSequence('app.back'));
    await expect(run).resolves.toEqual({ error: null, next: 'all' });
  });

  it('not opened from the list, Esc at the top does not leave', async () => {
    const { run, send, stdout } = await start({ showAll: true });
    await send(commandSequence('app.back'));
    await vi.waitFor(() => expect(stdout.text()).toContain('nothing to go back to'), { timeout: 5_000 });
    await send(commandSequence('app.quit'));
    await expect(run).resolves.toEqual({ error: null });
  });
});
