/**
 * The kept failure groups (aggregates.ts) against the full scan of every held task they
 * replaced, over random sequences of task events, result metas, retries as new ids, state
 * regressions (events out of order) and evictions.
 */
import { describe, expect, it } from 'vitest';
import type { TaskEventType } from '../../src/celery/types.js';
import type { Action } from '../../src/store/actions.js';
import { recentFailureGroups } from '../../src/store/aggregates.js';
import { createModel } from '../../src/store/create-model.js';
import type { Model, TaskRecord } from '../../src/store/model.js';
import { reduceTasks } from '../../src/store/reduce-tasks.js';
import { type FailureGroup, maxGroupIds, selectFailureGroups } from '../../src/store/select-failures.js';
import { selectRecentFailures } from '../../src/store/select-recent-failures.js';
import { exceptionType } from '../../src/store/task-values.js';
import { eventsAction, resultMeta, resultsAction, taskEvent } from './task-fixtures.js';

const t0 = 1_795_524_200;

/** The scan the aggregate replaced (select-failures.ts before it), ties broken by key. */
function scanGroups(model: Model): (FailureGroup & { key: string; ats: number[] })[] {
  const failedAt = (r: TaskRecord) => r.finishedAt ?? r.stateAt ?? r.updatedAt / 1000;
  const groups = new Map<
    string,
    { group: FailureGroup & { key: string; ats: number[] }; members: { id: string; at: number }[] }
  >();
  for (const r of model.tasks.values()) {
    if (r.state !== 'FAILURE' && r.state !== 'RETRY') continue;
    const retrying = r.state === 'RETRY';
    const excType = exceptionType(r.exception);
    const key = JSON.stringify([r.name, excType, retrying]);
    const at = failedAt(r);
    let entry = groups.get(key);
    if (!entry) {
      entry = {
        group: {
          key,
          ats: [],
          name: r.name,
          excType,
          retrying,
          count: 0,
          firstSeen: at,
          lastSeen: at,
          exampleId: r.id,
          exampleException: r.exception,
          exampleTraceback: r.traceback,
          ids: [],
          more: 0,
        },
        members: [],
      };
      groups.set(key, entry);
    }
    const g = entry.group;
    g.count += 1;
    g.firstSeen = Math.min(g.firstSeen, at);
    if (at >= g.lastSeen) {
      g.lastSeen = at;
      g.exampleId = r.id;
      g.exampleException = r.exception;
      g.exampleTraceback = r.traceback;
    }
    entry.members.push({ id: r.id, at });
  }
  const out: (FailureGroup & { key: string; ats: number[] })[] = [];
  for (const { group, members } of groups.values()) {
    members.sort((a, b) => b.at - a.at);
    group.ids = members.slice(0, maxGroupIds).map((m) => m.id);
    group.more = members.length - group.ids.length;
    group.ats = members.map((m) => m.at);
    out.push(group);
  }
  return out.sort(
    (a, b) => b.lastSeen - a.lastSeen || b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

const plain = (g: FailureGroup & { key?: string; ats?: number[] }): FailureGroup => {
  const { key: _k, ats: _a, ...rest } = g;
  return rest;
};

/** A small deterministic generator (mulberry32), so a failing seed can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

const names = ['app.a', 'app.b', 'app.c'];
const exceptions = ["ValueError('x')", "ValueError('y')", "KeyError('k')", 'Boom', 'TimeoutError()'];
const eventTypes: TaskEventType[] = [
  'task-sent',
  'task-received',
  'task-started',
  'task-failed',
  'task-failed',
  'task-retried',
  'task-retried',
  'task-succeeded',
  'task-revoked',
];
const statuses = ['FAILURE', 'RETRY', 'SUCCESS', 'STARTED', 'PENDING'];

function randomAction(r: ReturnType<typeof rng>, step: number, ids: string[]): Action {
  const at = (t0 + step) * 1000;
  const roll = r.next();
  if (roll < 0.7) {
    const events = Array.from({ length: 1 + r.int(4) }, () => {
      const type = r.pick(eventTypes);
      // Timestamps jump back as well as forward: out-of-order events regress or are merged.
      const ts = t0 + step + r.int(40) - 20 + r.pick([0, 0.5]);
      const extra =
        type === 'task-failed' || type === 'task-retried'
          ? { exception: r.pick(exceptions), traceback: `tb ${r.int(3)}` }
          : type === 'task-sent' || type === 'task-received'
            ? { name: r.pick(names) }
            : {};
      return taskEvent(type, r.pick(ids), ts, extra);
    });
    return eventsAction(at, ...events);
  }
  if (roll < 0.92) {
    const status = r.pick(statuses);
    const failed = status === 'FAILURE' || status === 'RETRY';
    const meta = resultMeta(r.pick(ids), status, {
      ...(failed ? { result: { exc_type: r.pick(['ValueError', 'KeyError']), exc_message: ['m'] } } : {}),
      ...(r.next() < 0.5 ? { dateDone: new Date((t0 + step + r.int(30) - 15) * 1000).toISOString() } : {}),
    });
    return resultsAction(at, r.pick(['scan', 'get', 'pubsub'] as const), meta);
  }
  return { type: 'task/retried-as', at, oldId: r.pick(ids), newId: r.pick(ids) };
}

describe('failure aggregate', () => {
  it('equals the full scan of held tasks after every action, over random sequences', () => {
    let compared = 0;
    let nonEmpty = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(seed);
      const model = createModel(t0 * 1000, { maxTasks: 3 + r.int(25) });
      const ids = Array.from({ length: 5 + r.int(40) }, (_, i) => `t${i}`);
      // Some runs read before anything happened, others only after a while (the aggregate is made on first read).
      const firstRead = r.int(30);
      for (let step = 0; step < 200; step++) {
        reduceTasks(model, randomAction(r, step, ids));
        if (step < firstRead || r.next() < 0.3) continue;
        const expected = scanGroups(model);
        const now = (t0 + step + r.int(400) - 100) * 1000;
        const since = now / 1000 - 300;
        expect(selectFailureGroups(model, now), `seed ${seed} step ${step}`).toEqual(expected.map(plain));
        expect(selectRecentFailures(model, now), `seed ${seed} step ${step}`).toEqual(
          expected.map((g) => ({ ...plain(g), recent: g.ats.filter((a) => a >= since).length })),
        );
        compared += 1;
        if (expected.length > 0) nonEmpty += 1;
      }
    }
    // The sequences exercise the groups, not only empty lists.
    expect(nonEmpty).toBeGreaterThan(compared / 2);
  }, 60_000);

  it('drops an evicted failure and counts more than maxGroupIds members', () => {
    const model = createModel(t0 * 1000, { maxTasks: 150 });
    const fail = (id: string, ts: number) => [
      taskEvent('task-received', id, ts - 1, { name: 'app.a' }),
      taskEvent('task-failed', id, ts, { exception: "ValueError('x')" }),
    ];
    for (let i = 0; i < 150; i++) reduceTasks(model, eventsAction(t0 * 1000, ...fail(`f${i}`, t0 + i)));
    expect(selectFailureGroups(model, t0 * 1000).map((g) => [g.count, g.ids.length, g.more])).toEqual([
      [150, maxGroupIds, 50],
    ]);
    reduceTasks(
      model,
      eventsAction(t0 * 1000, taskEvent('task-received', 'ok', t0 + 500, { name: 'app.a' })),
    );
    const [group] = selectFailureGroups(model, t0 * 1000);
    expect([group!.count, group!.firstSeen, group!.ids.includes('f0')]).toEqual([149, t0 + 1, false]);
  });

  it('returns the same arrays while no failed task changes, new ones when one does or a count moves', () => {
    const model = createModel(t0 * 1000);
    reduceTasks(
      model,
      eventsAction(
        t0 * 1000,
        taskEvent('task-received', 'a', t0, { name: 'app.a' }),
        taskEvent('task-failed', 'a', t0 + 1, { exception: 'Boom' }),
      ),
    );
    const groups = selectFailureGroups(model, t0 * 1000);
    const recent = recentFailureGroups(model, (t0 + 10) * 1000);
    reduceTasks(model, eventsAction(t0 * 1000, taskEvent('task-received', 'b', t0 + 2, { name: 'app.a' })));
    expect(selectFailureGroups(model, t0 * 1000)).toBe(groups);
    expect(recentFailureGroups(model, (t0 + 20) * 1000)).toBe(recent);
    // Past the window the count drops to 0: a new list, same groups.
    const later = recentFailureGroups(model, (t0 + 400) * 1000);
    expect([later === recent, later[0]!.recent, recent[0]!.recent]).toEqual([false, 0, 1]);
    reduceTasks(model, eventsAction(t0 * 1000, taskEvent('task-failed', 'b', t0 + 3, { exception: 'Boom' })));
    const next = selectFailureGroups(model, t0 * 1000);
    expect([next === groups, next[0]!.count]).toEqual([false, 2]);
  });
});
