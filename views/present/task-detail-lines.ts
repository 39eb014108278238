/**
 * The task detail as lines: every known field, args/kwargs/result as pretty JSON (or the
 * Python repr when that is all qtop has), exception and traceback, the timeline, where qtop
 * learned of it, and links to parent, root, children and retries.
 */
import { prettyJsonText } from '../../src/celery/json-exact.js';
import { stampsLine } from '../../src/celery/stamps.js';
import type { TaskDetail } from '../../src/store/select-task-detail.js';
import { type Line, LineBuilder } from './detail-lines.js';
import { formatAge, formatClock, formatDuration } from './format.js';
import { type Theme, taskState } from './theme.js';

function prettyResult(result: string): string {
  return prettyJsonText(result); // exact big integers and Python's NaN/Infinity as written
}

/** Lines for one task at `width`; with `hideArgs`, arguments, result and traceback are withheld. */
export function taskDetailLines(task: TaskDetail, theme: Theme, width: number, hideArgs: boolean): Line[] {
  const b = new LineBuilder(width);
  const state = taskState(theme, task.state);
  b.field('task', task.id);
  b.field('state', `${state.text}  at ${formatClock(task.stateAt)}`, state.tone);
  b.field('name', task.name);
  if (task.worker) b.field('worker', task.worker, undefined, { kind: 'worker', hostname: task.worker });
  else b.field('worker', null);
  if (task.queue) b.field('queue', task.queue, undefined, { kind: 'queue', name: task.queue });
  else b.field('queue', null);
  if (task.stamps) b.field('stamps', stampsLine(task.stamps));
  b.field('runtime', formatDuration(task.runtime));
  b.field('age', formatAge(task.ageSec));
  b.field('retries', String(task.retries));
  if (task.eta) b.field('eta', task.eta);
  if (task.expires) b.field('expires', task.expires);
  const flags = [task.terminated && 'terminated', task.expired && 'expired'].filter(Boolean);
  if (task.signum !== null) flags.push(`signal ${task.signum}`);
  if (flags.length > 0) b.field('revoked', flags.join(', '), 'warn');
  b.field('origins', task.origins.join(', '));

  const links: [string, string | null][] = [
    ['parent', task.parentId],
    ['root', task.rootId === task.id ? null : task.rootId],
    ['retry of', task.retryOf],
    ['retried as', task.retriedAs],
  ];
  if (links.some(([, id]) => id) || task.children.length > 0 || task.groupId) b.section('Related');
  for (const [label, id] of links) if (id) b.link(`${label.padEnd(10)} → ${id}`, { kind: 'task', id });
  if (task.groupId) b.field('group', task.groupId);
  for (const child of task.children) b.link(`${'child'.padEnd(10)} → ${child}`, { kind: 'task', id: child });

  if (hideArgs) {
    b.section('Arguments').note('  hidden (--hide-args)');
  } else {
    b.section(task.argsExact ? 'Args (exact JSON)' : 'Args (repr)').block(task.argsText ?? '-');
    b.section('Kwargs').block(task.kwargsText ?? '-');
    if (task.result !== null) b.section('Result').block(prettyResult(task.result));
  }
  if (task.exception !== null) b.section('Exception').block(task.exception, 'bad');
  if (task.traceback !== null) {
    if (hideArgs) b.section('Traceback').note('  hidden (--hide-args)');
    else b.section('Traceback').block(task.traceback, 'bad');
  }
  b.section('Timeline');
  if (task.timeline.length === 0) b.note('  no events yet');
  for (const entry of task.timeline) {
    const host = entry.hostname ? `  ${entry.hostname}` : '';
    b.block(`${formatClock(entry.timestamp)}  ${entry.type}${host}`);
  }
  const times: [string, number | null][] = [
    ['sent', task.sentAt],
    ['received', task.receivedAt],
    ['started', task.startedAt],
    ['finished', task.finishedAt],
  ];
  for (const [label, at] of times) if (at !== null) b.field(`  ${label}`, formatClock(at));
  if (task.note) b.section('Note').block(task.note, 'warn');
  return b.lines;
}
