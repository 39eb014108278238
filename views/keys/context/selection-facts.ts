/**
 * The selection as the control-action records read it (src/control/selection.ts), built from
 * what the screen shows: the current view's target and line, and the frame memo's workers and
 * failure groups, so a key acts on exactly what is on screen.
 */
import type { Controls } from '../../../src/control/controls.js';
import type { SelectedMessage, SelectionFacts } from '../../../src/control/selection.js';
import type { EventsStatus } from '../../../src/store/select-meta.js';
import type { CurrentView } from '../../state/current-view.js';
import { failuresOf, workerOf, workersOf } from '../../state/view-data.js';
import type { ViewFrames } from '../../state/view-frame.js';

/** The waiting message on the selected line of a queue's detail (peek or search), or null. */
function selectedMessage(current: CurrentView): SelectedMessage | null {
  const message = current.lines?.[current.index]?.message;
  return current.view.kind === 'queue' && message ? { ...message, queue: current.view.name } : null;
}

export function selectionFacts(deps: {
  current: CurrentView;
  frames: ViewFrames;
  events: EventsStatus;
  controls: Controls;
}): SelectionFacts {
  const { current, frames, controls } = deps;
  const online = () => workersOf(frames).filter((w) => w.state === 'online');
  return {
    target: current.target,
    message: selectedMessage(current),
    taskEvents: deps.events.taskEvents,
    workersUp: () => online().map((w) => w.hostname),
    consumersOf: (queue) =>
      online()
        .filter((w) => w.queues?.includes(queue))
        .map((w) => w.hostname),
    workerLoad: (hostname) => {
      const detail = workerOf(frames, hostname);
      return { queues: detail?.queues ?? null, active: detail?.busy ?? detail?.activeCount ?? null };
    },
    worker: (hostname) => {
      const w = workerOf(frames, hostname);
      return w ? { state: w.state, poolType: w.poolType ?? null } : null;
    },
    failedGroups: (name) => failuresOf(frames).filter((g) => g.name === name && !g.retrying),
    pausedOn: (queue) => controls.pausedOn(queue),
  };
}
