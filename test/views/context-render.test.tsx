import { describe, expect, it, vi } from 'vitest';

// As commands/tui-run.ts does before it loads the screen: Ink draws only the last frame when it
// believes it runs in CI, which it decides once, on import. Hoisted above the imports below.
vi.hoisted(() => {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
});

import type { ContextSource, ScreenSession, SwitchResult } from '../../src/session/screen-session.js';
import type { Action } from '../../src/store/actions.js';
import { createStore } from '../../src/store/store.js';
import { runScreen } from '../../views/render.js';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.js';
import { clusterStore } from './cluster-fixture.js';
import { FakeTty, FakeTtyIn } from './fake-tty.js';
import { commandSequence } from './key-input.js';
import { fakeControls } from './render-screen.js';

// `:ctx` through the real render entry: a failed switch leaves the screen where it was, a
// successful one remounts it on the other cluster's store, and a confirmation opened while the
// switch was connecting does not survive it (it would act on the other cluster).

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

/** Wait (bounded) until the output written since `from` contains `text`. */
async function until(out: FakeTty, text: string, from = 0): Promise<string> {
  for (let i = 0; i < 250; i++) {
    if (out.since(from).includes(text)) return out.since(from);
    await tick();
  }
  throw new Error(`never drew ${text}; last writes:\n${out.written.slice(-3).join('')}`);
}

/** A second cluster: one queue, `bravo`, 7 ready. */
function bravoSession(clock: FakeClock): ScreenSession & { controls: ReturnType<typeof fakeControls> } {
  const store = createStore({ clock, notifyEveryMs: 0 });
  const now = clock.now();
  const actions: Action[] = [
    { type: 'source/recovered', at: now, source: 'queues' },
    {
      type: 'queues/sampled',
      at: now,
      undecodableBindings: 0,
      queues: [{ name: 'bravo', exchanges: ['bravo'], lengths: { 0: 7 }, peek: [] }],
    },
  ];
  for (const action of actions) store.dispatch(action);
  const controls = fakeControls();
  return {
    store,
    controls,
    broker: 'redis://:***@bravo:6379/0',
    label: null,
    context: 'bravo',
    hideArgs: false,
  };
}

describe('switching clusters on the screen', () => {
  it('stays on a failure, swaps on success, and drops a pending confirmation', async () => {
    const clock = createFakeClock();
    const oldControls = fakeControls();
    const next = bravoSession(clock);
    let release = () => {};
    const connected = new Promise<void>((resolve) => {
      release = resolve;
    });
    const contexts: ContextSource = {
      list: () => ({ names: ['alpha', 'bravo'], current: 'alpha', error: null }),
      async switchTo(name, show): Promise<SwitchResult> {
        if (name !== 'bravo')
          return { kind: 'failed', error: `no profile '${name}' (profiles: alpha, bravo)` };
        await connected;
        show(next);
        return { kind: 'switched', context: name };
      },
    };
    const stdout = new FakeTty();
    const stdin = new FakeTtyIn();
    const run = runScreen({
      store: clusterStore(clock),
      clock,
      controls: oldControls,
      broker: 'redis://alpha:6379/0',
      label: null,
      hideArgs: false,
      context: 'alpha',
      contexts,
      env: { NO_COLOR: '1' },
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: new FakeTty() as unknown as NodeJS.WriteStream,
    });
    await until(stdout, 'parked');
    expect(stdout.since(0)).toContain('ctx alpha');
    // The screen starts on the overview; purge is a Queues panel key.
    stdin.send(commandSequence('panel.queues'));
    await tick();
    const prompt = async (line: string) => {
      stdin.send(commandSequence('app.prompt'));
      await tick();
      stdin.send(`${line}\r`);
      await tick();
    };

    await prompt('ctx');
    await until(stdout, 'profiles: alpha (current), bravo');

    let from = stdout.written.length;
    await prompt('ctx nosuch');
    const failed = await until(stdout, "error: :ctx nosuch: no profile 'nosuch'", from);
    expect(failed).toContain('ctx alpha');

    from = stdout.written.length;
    await prompt('ctx bravo');
    await until(stdout, 'connecting to profile bravo', from);
    // While it connects the old cluster still has the keys: a purge dialog opens on it.
    stdin.send(commandSequence('queue.purge'));
    await until(stdout, 'Purge queue', from);

    from = stdout.written.length;
    release();
    const swapped = await until(stdout, 'bravo', from);
    await until(stdout, 'ok: switched to bravo', from);
    expect(swapped).toContain('ctx bravo');
    expect(stdout.since(from)).toMatch(/bravo\s+7\s/); // the new store's queue row
    expect(swapped).not.toContain('Purge queue');
    // What would have confirmed the dialog now reaches no dialog and no controls.
    stdin.send('celery');
    await tick();
    stdin.send(commandSequence('confirm.accept'));
    await tick();
    expect(oldControls.calls).toEqual([]);
    expect(next.controls.calls).toEqual([]);

    stdin.send(commandSequence('app.quit'));
    await expect(run).resolves.toEqual({ error: null });
  });
});
