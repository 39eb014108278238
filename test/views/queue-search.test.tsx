import { afterEach, describe, expect, it } from 'vitest';
import type {
  QueueSearch,
  QueueSearchOptions,
  QueueSearchResult,
} from '../../src/session/queue-search-api.js';
import { initialUi } from '../../views/state/ui-state.js';
import { peeked } from '../store/task-fixtures.js';
import { renderScreen } from './render-screen.js';

// The in-queue search from the keyboard: `/` in a queue's view asks for the text, the injected
// search runs with progress shown, matches are messages that delete/move act on, Esc cancels.
type Screen = Awaited<ReturnType<typeof renderScreen>>;
let screen: Screen;
afterEach(() => screen?.unmount());

const needle = peeked('needle-id', { position: 4242, name: 'app.lookup', argsRepr: "('NEEDLE-4242',)" });

/** A search that reports one page and stays running until `finish` or an abort. */
function controlledSearch() {
  const calls: { queue: string; text: string; options: QueueSearchOptions | undefined }[] = [];
  let finish: (result: QueueSearchResult) => void = () => {};
  const search: QueueSearch = (queue, text, options) => {
    calls.push({ queue, text, options });
    options?.onProgress?.({ scanned: 500, total: 5000, matches: [] });
    return new Promise((resolve) => {
      finish = resolve;
      options?.signal?.addEventListener('abort', () =>
        resolve({ scanned: 500, total: 5000, matches: [], status: 'cancelled', mayHaveSkipped: false }),
      );
    });
  };
  return { search, calls, finish: (result: QueueSearchResult) => finish(result) };
}

async function openQueue(searchQueue?: QueueSearch) {
  screen = await renderScreen({
    columns: 120,
    rows: 40,
    ...(searchQueue ? { searchQueue } : {}),
    initial: { ...initialUi, details: [{ kind: 'queue', name: 'celery' }] },
  });
}

const selectedLine = () =>
  screen
    .lastFrame()
    .split('\n')
    .find((line) => line.startsWith('> ')) ?? '';

describe('queue search keys', () => {
  it('asks for the text, shows progress, then the match, which delete acts on', async () => {
    const fake = controlledSearch();
    await openQueue(fake.search);
    await screen.press('queue.search');
    expect(screen.lastFrame()).toContain('Search queue celery');
    await screen.press('input.submit');
    expect(screen.lastFrame()).toContain('error: type some text to look for');
    await screen.type('needle-4242');
    await screen.press('input.submit');
    expect(fake.calls.map((c) => [c.queue, c.text])).toEqual([['celery', 'needle-4242']]);
    expect(screen.lastFrame()).toContain(
      'Search "needle-4242": scanning 500 of 5000 (10%) · 0 matches so far',
    );
    fake.finish({ scanned: 5000, total: 5000, matches: [needle], status: 'done', mayHaveSkipped: false });
    await screen.waitForFrame('1 match · scanned 5000 of 5000');
    expect(screen.lastFrame()).toContain("#4242 p0 app.lookup ('NEEDLE-4242',)");
    // The cursor starts on the results; the match is the next line.
    await screen.press('list.down');
    expect(selectedLine()).toContain('app.lookup');
    await screen.press('message.delete');
    expect(screen.lastFrame()).toContain('Delete the waiting message of task needle-id (app.lookup)');
    await screen.press('confirm.focus');
    await screen.press('confirm.accept');
    await screen.waitForFrame('message delete: done');
    expect(screen.controls.calls).toEqual([{ method: 'deleteMessage', args: ['celery', 'needle-id'] }]);
  });

  it('Esc cancels a running search, then clears its results, then closes the queue', async () => {
    const fake = controlledSearch();
    await openQueue(fake.search);
    await screen.press('queue.search');
    await screen.type('nothing-like-it');
    await screen.press('input.submit');
    expect(screen.lastFrame()).toContain('Esc cancels');
    await screen.press('app.back');
    expect(fake.calls[0]!.options?.signal?.aborted).toBe(true);
    await screen.waitForFrame('cancelled after 500 of 5000 · 0 matches');
    expect(screen.lastFrame()).toContain('Queue celery');
    await screen.press('app.back');
    expect(screen.lastFrame()).not.toContain('Search "');
    expect(screen.lastFrame()).toContain('Queue celery');
    await screen.press('app.back');
    expect(screen.lastFrame()).not.toContain('Queue celery');
  });

  it('a new search replaces a running one (the old one is cancelled)', async () => {
    const fake = controlledSearch();
    await openQueue(fake.search);
    for (const text of ['first', 'second']) {
      await screen.press('queue.search');
      await screen.type(text);
      await screen.press('input.submit');
    }
    expect(fake.calls[0]!.options?.signal?.aborted).toBe(true);
    await screen.advance(10);
    expect(screen.lastFrame()).toContain('Search "second": scanning');
  });

  it('says so when the run has no search, and a connection error ends it as failed', async () => {
    await openQueue();
    await screen.press('queue.search');
    await screen.type('x');
    await screen.press('input.submit');
    await screen.waitForFrame('failed: in-queue search is not available in this run');
    screen.unmount();
    await openQueue(() => Promise.reject(new Error('Connection is closed.\nstack')));
    await screen.press('queue.search');
    await screen.type('x');
    await screen.press('input.submit');
    await screen.waitForFrame('Search "x": failed: Connection is closed. · Esc clears');
  });

  it('notes a scan that workers may have outrun, and an empty result', async () => {
    const search: QueueSearch = async () => ({
      scanned: 100,
      total: 100,
      matches: [],
      status: 'done',
      mayHaveSkipped: true,
    });
    await openQueue(search);
    await screen.press('queue.search');
    await screen.type('zzz');
    await screen.press('input.submit');
    await screen.waitForFrame('no waiting message contains "zzz"');
    expect(screen.lastFrame()).toContain('some may have been passed over');
  });
});
