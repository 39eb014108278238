/** The RedBeat actions: run an entry now, enable or disable it (no schedule editing). */
import { defineAction } from '../action.js';
import { type SelectionFacts, selected } from '../selection.js';
import { plain, s } from './text.js';

function redbeatGuard(sel: SelectionFacts): string | null {
  const row = selected(sel, 'beat-entry')?.entry;
  if (!row) return 'no beat entry selected';
  return row.source === 'redbeat'
    ? null
    : `${row.name} is inferred from arrivals: its schedule is not in Redis (only RedBeat entries can be changed)`;
}

/** `queue` overrides where the task goes (the CLI's --queue); else the entry's own options. */
export const beatRunNow = defineAction<{ entry: string; task: string | null; queue?: string }>({
  id: 'beat.run-now',
  target: 'beat-entry',
  log: 'beat run',
  cli: 'beat run <entry>',
  writes: true,
  confirm: 'dialog',
  label: 'run now',
  help: "Run the RedBeat entry now: publish its task exactly as beat would, with the entry's options and routing.",
  describe: (r) => `beat entry ${r.entry}`,
  dialog: (r) =>
    plain('Run beat entry now', 'Run', [
      `Publish task ${s(r.task)} of RedBeat entry ${s(r.entry)} now, as beat would (its args, options and routing).`,
      'Its schedule and run count do not change: the next scheduled run still comes on time.',
    ]),
  run: (controls, r) => controls.runBeatEntry(r.entry, r.queue ? { queue: r.queue } : undefined),
  guard: redbeatGuard,
  start: (sel) => {
    const row = selected(sel, 'beat-entry')!.entry;
    return { params: { entry: row.name, task: row.task } };
  },
});

export const beatToggle = defineAction<{ entry: string; enabled: boolean }>({
  id: 'beat.toggle',
  target: 'beat-entry',
  log: 'beat enable',
  cli: 'beat enable|disable <entry>',
  writes: true,
  confirm: 'dialog',
  label: 'enable/disable',
  help: 'Enable or disable the RedBeat entry, as RedBeat itself does (definition.enabled); beat skips a disabled one.',
  describe: (r) => `beat entry ${r.entry} ${r.enabled ? 'enabled' : 'disabled'}`,
  dialog: (r) =>
    plain(r.enabled ? 'Enable beat entry' : 'Disable beat entry', r.enabled ? 'Enable' : 'Disable', [
      r.enabled
        ? `Enable RedBeat entry ${s(r.entry)}: beat sends it again from its next due time.`
        : `Disable RedBeat entry ${s(r.entry)}: beat stops sending it until it is enabled again.`,
      'Only definition.enabled changes; the schedule, args and options stay as they are.',
    ]),
  run: (controls, r) => controls.setBeatEntryEnabled(r.entry, r.enabled),
  guard: redbeatGuard,
  start: (sel) => {
    const row = selected(sel, 'beat-entry')!.entry;
    return { params: { entry: row.name, enabled: row.enabled === false } };
  },
});
