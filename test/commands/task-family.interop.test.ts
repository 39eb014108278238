import { execFile } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HintsDocument } from '../../commands/hints/run.js';
import { CELERY_APP_DIR, type Cluster, celeryEnv, PYTHON, startCluster } from '../helpers/celery-worker.js';
import { qtopBin, runQtop } from '../helpers/qtop-cli.js';
import { taskSchemaErrors } from '../helpers/schema.js';
import { type CeleryVersion, celeryVersions } from '../helpers/shared-trees.js';
import { startTmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

// Real Celery canvases (demo/celery_app/send_canvas.py) on a worker that consumes only `celery`,
// with result_extended; `qtop task ID --json` runs after they finished, from what Redis holds.

interface Canvas {
  group?: string;
  members: string[];
  body?: string;
}

interface FamilyNodeJson {
  id: string;
  kind: 'task' | 'group';
  seen: boolean;
  name: string | null;
  state: string | null;
  worker: string | null;
  parent: string | null;
}

interface TaskDoc {
  schema: string;
  task: { id: string; state: string };
  family: {
    rootId: string;
    nodes: FamilyNodeJson[];
    edges: { from: string; to: string; kind: string }[];
    finished: boolean;
    wallSec: number | null;
    criticalPath: { ids: string[]; sec: number | null };
  };
}

function sendCanvas(cluster: Cluster, kind: string, celery: CeleryVersion): Promise<Canvas> {
  const env = celeryEnv(cluster.brokerUrl, undefined, { QTOP_RESULT_EXTENDED: '1' }, celery);
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      [path.join(CELERY_APP_DIR, 'send_canvas.py'), kind],
      { cwd: CELERY_APP_DIR, env, timeout: 60_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}

describe.each(celeryVersions())('workflows as a tree, Celery %s', (celery) => {
  let cluster: Cluster;
  let redis: Redis;
  const canvases: Record<string, Canvas> = {};

  async function taskDoc(id: string): Promise<TaskDoc> {
    const run = await runQtop(['task', id, '-b', cluster.brokerUrl, '--json', '--window', '0.5s']);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout) as TaskDoc;
    expect(taskSchemaErrors(doc)).toEqual([]);
    expect(run.code).toBe(0);
    expect(doc.task.id).toBe(id);
    return doc;
  }

  const metaState = async (id: string) =>
    (JSON.parse((await redis.get(`celery-task-meta-${id}`)) ?? '{}') as { status?: string }).status ?? null;

  beforeAll(async () => {
    cluster = await startCluster({
      celery,
      env: { QTOP_RESULT_EXTENDED: '1' },
      workers: [{ name: 'w1', events: true, concurrency: 2, queues: ['celery'] }],
    });
    redis = new Redis(cluster.brokerUrl);
    for (const kind of ['chain', 'group', 'chord', 'chord-parked'])
      canvases[kind] = await sendCanvas(cluster, kind, celery);
    const finished = [
      ...canvases.chain!.members,
      ...canvases.group!.members,
      ...canvases.chord!.members,
      canvases.chord!.body!,
      ...canvases['chord-parked']!.members,
    ];
    await waitFor(
      async () => (await Promise.all(finished.map(metaState))).every((s) => s === 'SUCCESS'),
      30_000,
      'every canvas member to finish',
    );
  }, 90_000);

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  it('a chain: the same three links from its first and its last member, in order, all on the critical path', async () => {
    const [a, b, c] = canvases.chain!.members;
    for (const id of [a!, c!]) {
      const { family } = await taskDoc(id);
      expect(family.rootId).toBe(a);
      expect(family.nodes.map((n) => [n.id, n.parent, n.state, n.name])).toEqual([
        [a, null, 'SUCCESS', 'app.add'],
        [b, a, 'SUCCESS', 'app.add'],
        [c, b, 'SUCCESS', 'app.add'],
      ]);
      expect(family.edges.map((e) => e.kind)).toEqual(['child', 'child']);
      expect(family.nodes.every((n) => n.worker?.startsWith('w1@'))).toBe(true);
      expect(family.criticalPath.ids).toEqual([a, b, c]);
      expect(family.finished).toBe(true);
      expect(family.wallSec).not.toBeNull();
    }
    // Without --json: the same tree as text, this task marked.
    const text = await runQtop(['task', b!, '-b', cluster.brokerUrl, '--window', '0.5s']);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[1]).toMatch(/^workflow: 3 tasks · finished · wall /);
    expect(lines[2]).toMatch(new RegExp(`^\\*${a}  app\\.add  SUCCESS`));
    expect(lines[3]).toMatch(new RegExp(`^\\*└─ ${b}  app\\.add  SUCCESS .*  <$`));
    expect(lines[4]).toMatch(new RegExp(`^\\*   └─ ${c}  app\\.add  SUCCESS`));
  }, 60_000);

  it('a group: every member under the group node, from any member', async () => {
    const { group, members } = canvases.group!;
    for (const id of [members[0]!, members[2]!]) {
      const { family } = await taskDoc(id);
      expect(family.rootId).toBe(group);
      expect(family.nodes.find((n) => n.id === group)).toMatchObject({ kind: 'group', parent: null });
      const under = family.nodes.filter((n) => n.parent === group);
      expect(under.map((n) => n.id).sort()).toEqual([...members].sort());
      expect(under.every((n) => n.state === 'SUCCESS')).toBe(true);
      expect(family.edges.filter((e) => e.kind === 'group')).toHaveLength(3);
      expect(family.criticalPath.ids).toHaveLength(1);
      expect(members).toContain(family.criticalPath.ids[0]);
    }
  }, 60_000);

  it('a chord: header members and the body under the header group, from every member; the path runs through the member that released the body', async () => {
    const { group, members, body } = canvases.chord!;
    for (const id of [...members, body!]) {
      const { family } = await taskDoc(id);
      expect(family.rootId).toBe(group);
      const edges = family.edges.map((e) => `${e.kind}:${e.from}>${e.to}`).sort();
      expect(edges).toEqual([`chord:${group}>${body}`, ...members.map((m) => `group:${group}>${m}`)].sort());
      expect(family.nodes.find((n) => n.id === body)).toMatchObject({ state: 'SUCCESS', name: 'app.echo' });
      expect(family.criticalPath.ids).toHaveLength(2);
      expect(members).toContain(family.criticalPath.ids[0]);
      expect(family.criticalPath.ids[1]).toBe(body);
      expect(family.finished).toBe(true);
    }
  }, 90_000);

  it('a chord whose body waits in a queue no worker consumes: the tree shows it PENDING and hints raise chord-stuck', async () => {
    const { group, members, body } = canvases['chord-parked']!;
    const { family } = await taskDoc(members[0]!);
    expect(family.nodes.find((n) => n.id === body)).toMatchObject({ state: 'PENDING', parent: group });
    expect(family.finished).toBe(false);
    let doc: HintsDocument | null = null;
    await waitFor(
      async () => {
        const run = await runQtop(['hints', '-b', cluster.brokerUrl, '--json', '--window', '1s']);
        doc = JSON.parse(run.stdout) as HintsDocument;
        return doc.hints.findings.some((f) => f.kind === 'chord-stuck');
      },
      45_000,
      'the chord-stuck finding',
      500,
    );
    const found = doc!.hints.findings.find((f) => f.kind === 'chord-stuck')!;
    expect(found.queue).toBe('parked');
    expect(found.taskIds[0]).toBe(body);
    expect([...found.taskIds.slice(1)].sort()).toEqual([...members].sort());
    // The finished chord is not stuck.
    expect(doc!.hints.findings.filter((f) => f.kind === 'chord-stuck')).toHaveLength(1);
  }, 90_000);

  it('on the screen (80x24), f on a chord member shows the tree; Space folds the group; Enter opens a member', async () => {
    const { group, members, body } = canvases.chord!;
    const tmux = await startTmux({
      command: ['bash', '-c', `node ${qtopBin} -b ${cluster.brokerUrl}; echo EXITED:$?; sleep 30`],
      cols: 80,
      rows: 24,
    });
    try {
      await tmux.waitForText('connected', 20_000);
      // :task ID opens the member's detail once the result scan has read it.
      await waitFor(
        async () => {
          await tmux.sendKeys(':');
          await tmux.sendText(`task ${members[0]}`);
          await tmux.sendKeys('Enter');
          return (await tmux.capture()).includes('app.add');
        },
        20_000,
        'the chord member in its detail view',
        500,
      );
      await tmux.sendKeys('f');
      const screen = await tmux.waitForText(`body ${body!.slice(0, 8)}`, 10_000);
      expect(screen).toContain(`Workflow of ${members[0]!.slice(0, 8)}`);
      expect(screen).toContain(`chord of 2: 2 SUCCESS ${group!.slice(0, 8)}`);
      for (const m of members) expect(screen).toMatch(new RegExp(`${m.slice(0, 8)}…  app.add  SUCCESS`));
      expect(screen).toMatch(/critical path 2 of 3 tasks/);
      // Down to the group line (the first node line), fold it, unfold it, then open the body.
      const selected = async () => (await tmux.capture()).split('\n').find((l) => l.startsWith('> ')) ?? '';
      // One key at a time, each waited for, so a slow redraw never makes the loop press twice.
      for (let i = 0; i < 6 && !(await selected()).includes('chord of 2'); i++) {
        const before = await selected();
        await tmux.sendKeys('j');
        await waitFor(async () => (await selected()) !== before, 5_000, 'the cursor to move');
      }
      expect(await selected()).toContain('chord of 2');
      await tmux.sendKeys('Space');
      await tmux.waitForText('[+3]', 5_000);
      expect(await tmux.capture()).not.toContain(`body ${body!.slice(0, 8)}`);
      await tmux.sendKeys('Space');
      await tmux.waitForText(`body ${body!.slice(0, 8)}`, 5_000);
      await tmux.sendKeys('G');
      await waitFor(
        async () => (await selected()).includes(`body ${body!.slice(0, 8)}`),
        5_000,
        'the cursor on the body',
      );
      await tmux.sendKeys('Enter');
      await tmux.waitForText(`Task ${body}`, 5_000);
    } finally {
      await tmux.kill();
    }
  }, 90_000);

  it('an unknown id exits 6 with one line', async () => {
    const run = await runQtop(['task', 'no-such-task', '-b', cluster.brokerUrl, '--window', '0.3s']);
    expect(run.code).toBe(6);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('task no-such-task not found');
  }, 30_000);
});
