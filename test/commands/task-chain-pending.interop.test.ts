import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELERY_APP_DIR, celeryEnv, PYTHON } from '../helpers/celery-worker.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { celeryVersions } from '../helpers/shared-trees.js';

// A chain whose first link waits in a queue nobody consumes: `qtop task FIRST --json` shows the
// links not sent yet (from the waiting message's embedded chain) after it, in order, unseen, with
// the names and ids Celery froze them with. Real Celery producer; needs `npm run build` first.
const sendChain = `
import json
from celery import chain
from qtop_test_app import app
r = chain(app.signature('app.add', (1, 1)).set(queue='nowhere'), app.signature('app.echo'),
          app.signature('app.echo', immutable=True)).apply_async()
print(json.dumps([r.parent.parent.id, r.parent.id, r.id]))
`;

describe.each(celeryVersions())('on Celery %s', (celery) => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('task --json lists the chain links not sent yet after the waiting one', async () => {
    const ids = await new Promise<string[]>((resolve, reject) =>
      execFile(
        PYTHON,
        ['-c', sendChain],
        { cwd: CELERY_APP_DIR, env: celeryEnv(redis.url(0), undefined, undefined, celery), timeout: 60_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
      ),
    );
    const [first, next, last] = ids as [string, string, string];
    const run = await runQtop(['-b', redis.url(0), 'task', first, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const family = JSON.parse(run.stdout).family;
    expect(
      family.nodes.map((n: { id: string; name: string; seen: boolean; parent: string | null }) => [
        n.id,
        n.name,
        n.seen,
        n.parent,
      ]),
    ).toEqual([
      [first, 'app.add', true, null],
      [next, 'app.echo', false, first],
      [last, 'app.echo', false, next],
    ]);
    expect(family.finished).toBe(false);
  }, 90_000);
});
