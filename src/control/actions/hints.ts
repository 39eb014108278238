/** Applying a queue's scaling hint: grow its consumers' pools by the slots it needs. */
import { splitSlots } from '../../hints/maths/split-slots.js';
import { defineAction } from '../action.js';
import type { ControlOutcome, Controls } from '../controls.js';
import { selected } from '../selection.js';
import { plain, s } from './text.js';

/**
 * A queue hint applied: grow each consumer's pool by its share of `add` slots. With no `grows`
 * qtop cannot apply it, and `advice` says the change to make instead.
 */
interface HintApply {
  queue: string;
  add: number;
  grows: { worker: string; n: number }[];
  advice: string | null;
}

/** Grow every pool of the split; one outcome for all of them (ok when every grow was). */
async function applyHint(controls: Controls, grows: HintApply['grows']): Promise<ControlOutcome> {
  if (grows.length === 0)
    return { ok: true, summary: 'nothing sent: qtop cannot apply this hint', replies: [] };
  const outcomes = await Promise.all(grows.map((g) => controls.poolGrow(g.worker, g.n)));
  return {
    ok: outcomes.every((o) => o.ok),
    summary: outcomes.map((o, i) => `${grows[i]!.worker} +${grows[i]!.n}: ${o.summary}`).join('; '),
    replies: outcomes.flatMap((o) => o.replies),
  };
}

export const hintApply = defineAction<HintApply>({
  id: 'hint.apply',
  target: 'queue-hint',
  log: 'hint apply',
  cli: 'pool <worker> grow <n>',
  writes: true,
  confirm: 'dialog',
  label: 'apply',
  help: "Apply the queue hint: grow its consumers' pools by the slots to add, split evenly (pool_grow); else say what to change.",
  describe: (r) => `queue ${r.queue}`,
  dialog: (r) =>
    r.grows.length === 0
      ? plain('Apply hint: qtop cannot', 'OK', [
          `Queue '${s(r.queue)}' needs ${r.add} more slot${r.add === 1 ? '' : 's'}; the change to make:`,
          s(r.advice),
        ])
      : plain('Apply hint', 'Grow', [
          `Grow the pool of ${r.grows.map((g) => `${s(g.worker)} by ${g.n}`).join(', ')} (pool_grow):`,
          `${r.add} more slot${r.add === 1 ? '' : 's'} for queue '${s(r.queue)}'. Not kept across a restart: raise --concurrency too.`,
          'A worker started with --autoscale refuses to grow past its max: raise it with A instead.',
        ]),
  run: (controls, r) => applyHint(controls, r.grows),
  guard: (sel) => {
    const hint = selected(sel, 'queue-hint')?.hint;
    if (!hint) return 'select a queue hint (findings have a fix to read, not apply)';
    if (hint.addSlots === null) return 'the slots needed are not known yet (see the notes)';
    return hint.addSlots > 0 ? null : `queue ${s(hint.queue)} needs no more slots`;
  },
  start: (sel) => {
    const hint = selected(sel, 'queue-hint')!.hint;
    const add = hint.addSlots ?? 0;
    const growable = hint.slots.workers
      .map((w) => w.hostname)
      .filter((h) => {
        const w = sel.worker(h);
        return w?.state === 'online' && !w.poolType?.includes('solo');
      });
    const grows = splitSlots(add, growable);
    const advice =
      grows.length > 0
        ? null
        : hint.slots.workers.length === 0
          ? `no worker up consumes it: start workers with -Q ${hint.queue} --concurrency ${add} (or add replicas of the deployment consuming it, ${add} slots in all)`
          : `its consumers cannot grow (solo pools): raise --concurrency, or add replicas (${add} slots in all)`;
    return { params: { queue: hint.queue, add, grows, advice } };
  },
});
