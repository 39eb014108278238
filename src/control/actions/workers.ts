/** The worker actions: pool size, autoscale, consumers, shutdown, ping, and task events on/off. */
import { defineAction } from '../action.js';
import type { Destination } from '../controls.js';
import { needUpWorker, type SelectionFacts, selected } from '../selection.js';
import { onWorkers, plain, s } from './text.js';

interface PoolChange {
  worker: string;
  n: number;
}

function poolGuard(verb: string) {
  return (sel: SelectionFacts) =>
    needUpWorker(sel) ??
    (selected(sel, 'worker')?.poolType?.includes('solo') ? `a solo pool cannot ${verb}` : null);
}

const poolStart = (sel: SelectionFacts) => ({ params: { worker: selected(sel, 'worker')!.hostname, n: 1 } });

export const poolGrow = defineAction<PoolChange>({
  id: 'worker.grow',
  target: 'worker',
  log: 'pool grow',
  cli: 'pool <worker> grow <n>',
  writes: true,
  confirm: 'none',
  label: 'pool +1',
  help: "Grow the worker's pool by one process (pool_grow).",
  describe: (r) => `worker ${r.worker}`,
  dialog: () => null,
  run: (controls, r) => controls.poolGrow(r.worker, r.n),
  guard: poolGuard('grow'),
  start: poolStart,
});

export const poolShrink = defineAction<PoolChange>({
  id: 'worker.shrink',
  target: 'worker',
  log: 'pool shrink',
  cli: 'pool <worker> shrink <n>',
  writes: true,
  confirm: 'dialog',
  label: 'pool -1',
  help: "Shrink the worker's pool by one process (pool_shrink).",
  describe: (r) => `worker ${r.worker}`,
  dialog: (r) =>
    plain('Shrink pool', 'Shrink', [
      `Ask worker ${s(r.worker)} to stop ${r.n} pool process (pool_shrink).`,
      'A busy process finishes its task first.',
    ]),
  run: (controls, r) => controls.poolShrink(r.worker, r.n),
  guard: poolGuard('shrink'),
  start: poolStart,
});

export const autoscale = defineAction<{ worker: string; max: number; min: number }, { worker: string }>({
  id: 'worker.autoscale',
  target: 'worker',
  log: 'autoscale',
  cli: 'autoscale <worker> <max> <min>',
  writes: true,
  confirm: 'dialog',
  label: 'autoscale',
  help: "Set the worker's autoscale range: you type MAX MIN (autoscale).",
  describe: (r) => `worker ${r.worker}`,
  dialog: (r) =>
    plain('Set autoscale', 'Set', [
      `Set the autoscale range of worker ${s(r.worker)} to max ${r.max}, min ${r.min} (autoscale).`,
      'A worker started without --autoscale refuses, and its reply says so.',
    ]),
  run: (controls, r) => controls.autoscale(r.worker, r.max, r.min),
  guard: needUpWorker,
  start: (sel) => ({ seed: { worker: selected(sel, 'worker')!.hostname } }),
  prompt: {
    label: 'MAX MIN',
    title: (seed) => `Autoscale worker ${s(seed.worker)}`,
    lines: () => ["The new pool range as MAX MIN (Celery's --autoscale order), e.g. 10 3."],
    parse: (seed, draft) => {
      const words = draft
        .trim()
        .split(/[\s,]+/)
        .filter(Boolean);
      const [max, min] = words.map(Number);
      const whole = words.length === 2 && [max, min].every((n) => Number.isSafeInteger(n));
      if (!whole || max! < 1 || min! < 0 || max! < min!)
        return { error: 'type MAX MIN as whole numbers, MAX >= MIN >= 0 and MAX >= 1 (e.g. 10 3)' };
      return { worker: seed.worker, max: max!, min: min! };
    },
  },
});

/**
 * One worker's consumer of one queue. From a worker the queue is typed (add) or picked from its
 * queues (cancel); from a queue the worker is picked. `choose` names the field the pick fills.
 */
interface ConsumerChange {
  queue: string;
  /** The workers told: one on the screen, every worker or a list on the CLI. */
  destination: Destination;
  choose: 'worker' | 'queue' | null;
  options: string[];
}

function consumerDialog(add: boolean, r: ConsumerChange) {
  const queue = r.choose === 'queue' ? 'the queue you pick' : `queue '${s(r.queue)}'`;
  const one = r.destination !== 'all' && r.destination.length === 1;
  const worker =
    r.choose === 'worker'
      ? 'the worker you pick'
      : one
        ? `worker ${s(r.destination[0]!)}`
        : s(onWorkers(r.destination));
  return {
    ...plain(add ? 'Add consumer' : 'Cancel consumer', add ? 'Add' : 'Stop consuming', [
      ...(add
        ? [`Start consuming ${queue} on ${worker} (add_consumer): it takes messages at once.`]
        : [
            `Stop consuming ${queue} on ${worker} (cancel_consumer).`,
            'Its messages stay queued for the other consumers; nothing is lost.',
          ]),
      ...(r.choose ? [`Pick the ${r.choose} with up/down:`] : []),
    ]),
    choices: r.choose ? r.options.map(s) : null,
  };
}

function chooseConsumer(r: ConsumerChange, choice: number): ConsumerChange {
  const picked = r.choose ? r.options[choice] : undefined;
  if (picked === undefined) return r;
  return r.choose === 'worker' ? { ...r, destination: [picked] } : { ...r, queue: picked };
}

const consumerTarget = (r: ConsumerChange) => `queue ${r.queue} on ${onWorkers(r.destination)}`;

export const consumerAdd = defineAction<ConsumerChange, { worker: string }>({
  id: 'consumer.add',
  target: 'queue',
  log: 'consumer add',
  cli: 'consumer add <queue>',
  writes: true,
  confirm: 'dialog',
  label: 'add consumer',
  help: 'Start consuming a queue on a worker (add_consumer): from a worker you type the queue, from a queue you pick the worker.',
  describe: consumerTarget,
  dialog: (r) => consumerDialog(true, r),
  choose: chooseConsumer,
  run: (controls, r) => controls.addConsumer(r.queue, r.destination),
  guard: (sel) => {
    const q = selected(sel, 'queue');
    if (!q) return needUpWorker(sel);
    const consuming = sel.consumersOf(q.name);
    const up = sel.workersUp();
    if (up.length === 0) return 'no worker is up';
    return up.every((w) => consuming.includes(w)) ? `every worker up already consumes ${q.name}` : null;
  },
  start: (sel) => {
    const q = selected(sel, 'queue');
    if (!q) return { seed: { worker: selected(sel, 'worker')!.hostname } };
    const consuming = sel.consumersOf(q.name);
    const options = sel.workersUp().filter((w) => !consuming.includes(w));
    return { params: { queue: q.name, destination: [options[0]!], choose: 'worker', options } };
  },
  prompt: {
    label: 'queue',
    title: (seed) => `Add a consumer on ${s(seed.worker)}`,
    lines: () => ['The queue the worker should start consuming (declared if it does not exist yet).'],
    parse: (seed, draft) => {
      const text = draft.trim();
      if (!/^\S+$/.test(text)) return { error: 'type a queue name (no spaces)' };
      return { queue: text, destination: [seed.worker], choose: null, options: [] };
    },
  },
});

export const consumerCancel = defineAction<ConsumerChange>({
  id: 'consumer.cancel',
  target: 'queue',
  log: 'consumer cancel',
  cli: 'consumer cancel <queue>',
  writes: true,
  confirm: 'dialog',
  label: 'cancel consumer',
  help: 'Stop consuming a queue on one worker, picked from its queues or from the queue’s consumers (cancel_consumer).',
  describe: consumerTarget,
  dialog: (r) => consumerDialog(false, r),
  choose: chooseConsumer,
  run: (controls, r) => controls.cancelConsumer(r.queue, r.destination),
  guard: (sel) => {
    const q = selected(sel, 'queue');
    if (q)
      return sel.consumersOf(q.name).length === 0
        ? `no worker up consumes queue ${q.name} (as of the last inspect)`
        : null;
    const down = needUpWorker(sel);
    if (down) return down;
    const queues = sel.workerLoad(selected(sel, 'worker')!.hostname).queues;
    if (queues === null) return "the worker's queues are not known yet (inspect has not answered)";
    return queues.length === 0 ? 'the worker consumes no queue' : null;
  },
  start: (sel) => {
    const q = selected(sel, 'queue');
    if (q) {
      const options = sel.consumersOf(q.name);
      return { params: { queue: q.name, destination: [options[0]!], choose: 'worker', options } };
    }
    const hostname = selected(sel, 'worker')!.hostname;
    const options = sel.workerLoad(hostname).queues ?? [];
    return { params: { queue: options[0]!, destination: [hostname], choose: 'queue', options } };
  },
});

function running(active: number | null): string {
  if (active === null) return 'finishes the tasks it is running';
  return active === 0
    ? 'has no task running'
    : `finishes the ${active} task${active === 1 ? '' : 's'} it is running`;
}

/** Warm shutdown; `active` is how many tasks it runs now (it finishes them first), null if unknown. */
export const shutdown = defineAction<{ worker: string; active: number | null }>({
  id: 'worker.shutdown',
  target: 'worker',
  log: 'shutdown',
  cli: 'shutdown <worker> --confirm <worker>',
  writes: true,
  confirm: 'typed-name',
  label: 'shutdown',
  help: 'Warm shutdown of the worker: it finishes its running tasks and exits (you type its name).',
  describe: (r) => `worker ${r.worker}`,
  dialog: (r) => ({
    ...plain('Shut down worker', 'Shut down', [
      `Warm shutdown of worker ${s(r.worker)}: it stops taking tasks, ${running(r.active)}, and exits.`,
      'It comes back only if something restarts it (systemd, supervisor, Kubernetes).',
      'Messages it reserved but did not start go back to their queues.',
    ]),
    typeToConfirm: r.worker,
  }),
  run: (controls, r) => controls.shutdown(r.worker),
  guard: needUpWorker,
  start: (sel) => {
    const hostname = selected(sel, 'worker')!.hostname;
    return { params: { worker: hostname, active: sel.workerLoad(hostname).active } };
  },
});

/** Read-only: which workers answer. */
export const ping = defineAction<{ destination: Destination }>({
  id: 'worker.ping',
  target: 'workers',
  log: 'ping',
  cli: 'ping',
  writes: false,
  confirm: 'none',
  label: 'ping',
  help: 'Ping the worker and show its reply.',
  describe: (r) => onWorkers(r.destination),
  dialog: () => null,
  run: (controls, r) => controls.ping(r.destination),
  guard: (sel) => (selected(sel, 'worker') ? null : 'no worker selected'),
  start: (sel) => ({ params: { destination: [selected(sel, 'worker')!.hostname] } }),
});

const eventsGuard = (on: boolean) => (sel: SelectionFacts) =>
  sel.taskEvents === on
    ? `task events are already ${on ? 'on' : 'off'}`
    : sel.workersUp().length === 0
      ? 'no worker is up'
      : null;

/** `destination`: the workers told (the CLI's -w); every worker when absent. */
export const eventsOn = defineAction<{ destination?: Destination }>({
  id: 'events.enable',
  target: 'workers',
  log: 'events on',
  cli: 'events on',
  writes: true,
  confirm: 'none',
  label: 'events on',
  help: 'Send enable_events to every worker (what `celery control enable_events` does).',
  describe: (r) => onWorkers(r.destination),
  dialog: () => null,
  run: (controls, r) => controls.setEvents(true, r.destination),
  guard: eventsGuard(true),
  start: () => ({ params: {} }),
});

export const eventsOff = defineAction<{ destination?: Destination }>({
  id: 'events.disable',
  target: 'workers',
  log: 'events off',
  cli: 'events off',
  writes: true,
  confirm: 'dialog',
  label: 'events off',
  help: 'Send disable_events to every worker: task events stop for every monitor (qtop then polls).',
  describe: (r) => onWorkers(r.destination),
  dialog: () =>
    plain('Turn task events off', 'Turn off', [
      'Send disable_events to every worker: qtop, Flower and any other monitor stop seeing task events.',
      'qtop falls back to polling queues, inspect and results. E turns them on again.',
    ]),
  run: (controls, r) => controls.setEvents(false, r.destination),
  guard: eventsGuard(false),
  start: () => ({ params: {} }),
});
