import { afterEach, describe, expect, it } from 'vitest';
import { reduce } from '../../src/store/reducer.js';
import { createStore, type Store } from '../../src/store/store.js';
import { initialUi } from '../../views/state/ui-state.js';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.js';
import {
  addWorker,
  heartbeat,
  runTask,
  sampleQueues,
  sampleUnacked,
  T0,
  unacked,
} from '../hints/hint-model.js';
import { fakeControls, renderScreen } from './render-screen.js';

// The Hints panel over a model built by the real reducer: `celery` grows (+10/s ready while two
// 2-slot workers finish 5/s of 0.8 s tasks), so it needs slots; `orphan` has messages and no
// consumer, a critical finding.
type Screen = Awaited<ReturnType<typeof renderScreen>>;
let screen: Screen;
afterEach(() => screen?.unmount());

function hintStore(pool = 'prefork'): { clock: FakeClock; store: Store } {
  const clock = createFakeClock(T0);
  const store = createStore({ clock, notifyEveryMs: 0 });
  const model = store.getModel();
  store.dispatch({ type: 'source/recovered', at: T0, source: 'events' });
  addWorker(model, T0, 'w1@h', { poolMax: 2, queues: ['celery'], busy: 2 });
  addWorker(model, T0, 'w2@h', { poolMax: 2, queues: ['celery'], busy: 2 });
  const implementation = `celery.concurrency.${pool}:TaskPool`;
  const stats = { pool: { 'max-concurrency': 2, processes: [], implementation }, prefetch_count: 8 };
  reduce(model, {
    type: 'inspect/replied',
    at: T0,
    method: 'stats',
    replies: ['w1@h', 'w2@h'].map((node) => ({ node, value: stats, error: null })),
    silent: [],
  });
  for (let t = 0; t <= 20; t += 1) sampleQueues(model, T0 + t * 1000, { celery: 200 + 10 * t, orphan: 50 });
  for (let i = 0; i < 100; i += 1) {
    const worker = i % 2 === 0 ? 'w1@h' : 'w2@h';
    runTask(model, T0 + 100 + i * 200, `t${i}`, { name: 'app.work', worker, runtime: 0.8 });
  }
  const now = T0 + 20_000;
  sampleUnacked(
    model,
    now,
    Array.from({ length: 4 }, (_, i) => unacked(`r${i}`, 'celery', now)),
  );
  heartbeat(model, now, 'w1@h', 2);
  heartbeat(model, now, 'w2@h', 2);
  clock.advance(20_000);
  return { clock, store };
}

async function open(columns: number, rows = 24, controls = fakeControls(), pool = 'prefork') {
  screen = await renderScreen({
    columns,
    rows,
    ...hintStore(pool),
    controls,
    initial: { ...initialUi, panel: 'hints' },
  });
  return screen;
}

describe('Hints panel', () => {
  for (const columns of [80, 200]) {
    it(`shows a forecast and a finding within ${columns} columns`, async () => {
      await open(columns);
      const frame = screen.lastFrame();
      expect(frame).toContain('celery');
      expect(frame).toMatch(/grow/i);
      expect(frame).toContain('CRITICAL');
      expect(frame).toContain('orphan');
      for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(columns);
      if (columns === 200) expect(frame).toContain('μ/slot');
    });
  }

  it('Enter on a finding shows its evidence', async () => {
    await open(120, 30);
    for (let i = 0; i < 5 && !screen.lastFrame().includes('Enter shows the evidence'); i++)
      await screen.press('list.down');
    await screen.press('list.open');
    expect(screen.lastFrame()).toContain('evidence:');
  });

  it('hint.apply confirms the split and grows each pool', async () => {
    await open(120, 30);
    await screen.press('hint.apply');
    const frame = screen.lastFrame();
    const match = /Grow the pool of w1@h by (\d+), w2@h by (\d+)/.exec(frame);
    expect(match, frame).not.toBeNull();
    const [a, b] = [Number(match![1]), Number(match![2])];
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1);
    await screen.press('confirm.focus');
    await screen.press('confirm.accept');
    await screen.waitForFrame('hint apply');
    const grows = screen.controls.calls.filter((c) => c.method === 'poolGrow');
    expect(grows.map((c) => c.args)).toEqual([
      ['w1@h', a],
      ['w2@h', b],
    ]);
  });

  it('says the change to make when no worker up can grow, and sends nothing', async () => {
    await open(120, 30, fakeControls(), 'solo');
    await screen.press('hint.apply');
    const frame = screen.lastFrame();
    expect(frame).toContain('Apply hint: qtop cannot');
    expect(frame).toMatch(/Queue 'celery' needs \d+ more slots?; the change to make:/);
    expect(frame).toContain('cannot grow (solo pools)');
    await screen.press('confirm.focus');
    await screen.press('confirm.accept');
    expect(screen.controls.calls).toEqual([]);
  });

  it('a queue nobody consumes: apply is refused until the slots needed are known', async () => {
    await open(120, 30);
    await screen.press('list.down');
    await screen.press('hint.apply');
    expect(screen.lastFrame()).toContain('the slots needed are not known yet');
    expect(screen.controls.calls).toEqual([]);
  });

  it('read-only hides hint.apply and says why', async () => {
    await open(120, 30, fakeControls(false));
    expect(screen.lastFrame()).not.toContain('a apply');
    await screen.press('hint.apply');
    expect(screen.lastFrame()).toContain('read-only');
    expect(screen.controls.calls).toEqual([]);
  });
});
