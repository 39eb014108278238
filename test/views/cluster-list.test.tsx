import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterList, type ListChoice } from '../../views/all/ClusterList.js';
import {
  type ClusterBoard,
  type ClusterLine,
  clusterCells,
  sortLines,
} from '../../views/all/cluster-lines.js';
import { commandSequence } from './key-input.js';

const base: ClusterLine = {
  name: 'x',
  state: 'ok',
  findings: [],
  workersUp: 2,
  workersLost: 0,
  ready: 0,
  oldestWaitSec: null,
  failureRate: null,
  events: 'on',
  connection: 'connected',
  error: null,
  pending: false,
};

const prod: ClusterLine = {
  ...base,
  name: 'prod',
  state: 'critical',
  findings: [
    { severity: 'critical', summary: 'parked: 4 messages waiting and no worker consumes the queue' },
    { severity: 'warning', summary: 'w2@vm is lost' },
  ],
  workersLost: 1,
  ready: 4,
  oldestWaitSec: 75,
  failureRate: 0.05,
};
const gone: ClusterLine = {
  ...base,
  name: 'gone',
  state: 'unknown',
  workersUp: null,
  workersLost: null,
  ready: null,
  events: '?',
  connection: 'unreachable',
  error: 'cannot reach Redis at redis://127.0.0.1:6472/0: connection refused',
};
const staging: ClusterLine = { ...base, name: 'staging' };
const later: ClusterLine = { ...base, name: 'later', pending: true };

/** A board the test changes by hand. */
function board(lines: ClusterLine[]) {
  const listeners = new Set<() => void>();
  let current = lines;
  const b: ClusterBoard & { set(next: ClusterLine[]): void } = {
    lines: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      current = next;
      for (const l of listeners) l();
    },
  };
  return b;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
let unmount = () => {};
afterEach(() => unmount());

async function show(b: ClusterBoard, initial: string | null = null, note: string | null = null) {
  const choices: ListChoice[] = [];
  const view = render(
    <ClusterList
      board={b}
      theme={{ color: false, ascii: false }}
      width={100}
      height={12}
      initial={initial}
      note={note}
      onChoice={(c) => choices.push(c)}
    />,
  );
  unmount = view.unmount;
  await settle();
  const press = async (id: string) => {
    view.stdin.write(commandSequence(id));
    await settle();
    await settle();
  };
  return {
    view,
    choices,
    press,
    selected: () =>
      view
        .lastFrame()
        ?.split('\n')
        .find((l) => l.startsWith('> ')) ?? '',
  };
}

describe('the list of every profile', () => {
  it('orders worst first: critical, unreachable, warning, ok, then profiles still looking', () => {
    const warn: ClusterLine = { ...base, name: 'warn', state: 'warning' };
    expect(sortLines([later, staging, warn, gone, prod]).map((l) => l.name)).toEqual([
      'prod',
      'gone',
      'warn',
      'staging',
      'later',
    ]);
  });

  it('says per row the state, workers, backlog, oldest wait, failure rate, events, connection and the worst finding', () => {
    const cells = clusterCells(prod, false).cells;
    expect(cells).toMatchObject({
      state: '✗ CRITICAL',
      up: '2',
      lost: '1',
      ready: '4',
      oldest: '75s',
      fail: '5.0%',
      events: 'on',
      connection: 'connected',
      note: 'critical: parked: 4 messages waiting and no worker consumes the queue (+1 more)',
    });
    expect(clusterCells(gone, false).cells.note).toContain('connection refused');
    expect(clusterCells(later, false).cells.note).toBe('connecting…');
    expect(clusterCells({ ...base, name: 'evil\u001b]52;c;AAAA\u0007' }, false).cells.name).not.toContain(
      '\u001b',
    );
  });

  it('draws every profile, moves with the list keys and opens with Enter', async () => {
    const { view, choices, press, selected } = await show(board([staging, gone, prod]));
    const frame = view.lastFrame() ?? '';
    expect(frame).toContain('3 profiles');
    expect(frame.indexOf('prod')).toBeLessThan(frame.indexOf('gone'));
    expect(frame.indexOf('gone')).toBeLessThan(frame.indexOf('staging'));
    expect(selected()).toContain('prod');
    await press('list.down');
    expect(selected()).toContain('gone');
    await press('list.open');
    expect(choices).toEqual([{ kind: 'open', name: 'gone' }]);
    await press('app.quit');
    expect(choices.at(-1)).toEqual({ kind: 'quit' });
  });

  it('keeps the cursor on its profile when a refresh reorders the rows, and starts where it came back from', async () => {
    const b = board([staging, gone, { ...prod, state: 'ok', findings: [] }]);
    const { press, selected, view } = await show(b, 'staging', 'gone: cannot reach Redis');
    expect(selected()).toContain('staging');
    expect(view.lastFrame()).toContain('gone: cannot reach Redis');
    b.set([staging, gone, prod]);
    await settle();
    await settle();
    expect(
      view
        .lastFrame()
        ?.split('\n')
        .findIndex((l) => l.includes('prod')),
    ).toBeLessThan(
      view
        .lastFrame()
        ?.split('\n')
        .findIndex((l) => l.includes('staging')) ?? 0,
    );
    expect(selected()).toContain('staging');
    await press('list.up');
    expect(selected()).toContain('gone');
  });
});
