import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../helpers/celery-worker.js';
import { qtopBin, runQtop } from '../helpers/qtop-cli.js';
import { waitFor } from '../helpers/wait-for.js';

// `qtop mcp` (the built dist) driven by the MCP SDK's own client over stdio, against real Celery
// 5.2: w1 (-E, 2 slots) consumes `celery`; `parked` has no consumer. Redis has a password, which
// must never appear in an answer.
const password = 's3cret-pw-91';
let cluster: Cluster;
let failedId: string;
let parkedIds: string[];
const clients: Client[] = [];
const texts: string[] = [];

type Tool = {
  name: string;
  outputSchema?: Record<string, unknown>;
  annotations?: { readOnlyHint?: boolean };
};
// biome-ignore lint/suspicious/noExplicitAny: answers are checked against their declared schema, then read loosely
type Answer = Record<string, any>;
type Result = {
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  content: Array<{ text?: string }>;
};

async function connect(extra: string[]): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [qtopBin, 'mcp', '-b', cluster.brokerUrl, ...extra],
    env: { PATH: process.env.PATH ?? '' },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'qtop-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });

/** Call `name` and check its answer against the schema `tools/list` declared for it. */
async function call(client: Client, tools: Tool[], name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({ name, arguments: args })) as Result;
  texts.push(JSON.stringify(result));
  expect(result.isError, `${name}: ${result.content[0]?.text}`).toBeFalsy();
  const schema = tools.find((t) => t.name === name)?.outputSchema;
  expect(schema, `${name} declares an output schema`).toBeDefined();
  const validate = ajv.compile({ ...schema, $schema: undefined });
  expect(validate(result.structuredContent), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  expect(JSON.parse(result.content[0]?.text ?? 'null')).toEqual(result.structuredContent);
  return result.structuredContent as Answer;
}

const readTools = [
  'command_log',
  'get_task',
  'list_failures',
  'list_findings',
  'list_hints',
  'list_queues',
  'list_workers',
  'search_queue',
  'snapshot_summary',
];
const writeTools = ['pool_grow', 'pool_shrink', 'purge_queue', 'retry_task', 'revoke_task', 'terminate_task'];

beforeAll(async () => {
  cluster = await startCluster({
    redis: { password },
    workers: [{ name: 'w1', events: true, concurrency: 2, queues: ['celery'] }],
  });
  parkedIds = await cluster.sendTasks('app.echo', ['needle-42', { token: 'x' }], { queue: 'parked' });
  parkedIds.push(...(await cluster.sendTasks('app.add', [1, 2], { queue: 'parked', count: 2 })));
});

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await cluster?.stop();
});

describe('qtop mcp over stdio, read-only', () => {
  let client: Client;
  let tools: Tool[];

  it('lists only the read tools, each with an output schema, all marked read-only', async () => {
    client = await connect([]);
    // Sent while qtop listens, so task events name the failed task (a result alone does not).
    failedId = (await cluster.sendTasks('app.boom', [], { count: 1 }))[0]!;
    await cluster.sendTasks('app.add', [2, 3], { count: 2 });
    tools = (await client.listTools()).tools as Tool[];
    expect(tools.map((t) => t.name).sort()).toEqual(readTools);
    for (const tool of tools) {
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    }
  });

  it('every read tool answers within its schema, with the cluster’s data', async () => {
    let failures: Answer = {};
    await waitFor(
      async () => {
        failures = await call(client, tools, 'list_failures', {});
        return failures.failures.length === 1;
      },
      20_000,
      'the app.boom failure',
    );
    expect(failures.failures[0]).toMatchObject({
      name: 'app.boom',
      excType: 'ValueError',
      count: 1,
      exampleId: failedId,
    });

    const summary = await call(client, tools, 'snapshot_summary');
    expect(summary.broker).toContain(':***@');
    expect(summary.writesAllowed).toBe(false);
    expect(summary.totals.workersUp).toBe(1);

    const first = await call(client, tools, 'list_queues', { limit: 1 });
    expect(first.total).toBe(2);
    expect(first.queues.map((q: { name: string }) => q.name)).toEqual(['celery']);
    const second = await call(client, tools, 'list_queues', { limit: 1, cursor: first.nextCursor });
    expect(second.queues.map((q: { name: string; total: number }) => [q.name, q.total])).toEqual([
      ['parked', 3],
    ]);
    expect(second.nextCursor).toBeNull();

    const workers = await call(client, tools, 'list_workers', { state: 'online' });
    expect(workers.workers.map((w: { hostname: string }) => w.hostname)).toEqual([
      cluster.workers[0]!.hostname,
    ]);

    const task = await call(client, tools, 'get_task', { id: failedId });
    expect(task.found).toBe(true);
    expect(task.task).toMatchObject({ id: failedId, name: 'app.boom', state: 'FAILURE' });
    expect(task.task.traceback).toContain('ValueError');
    expect(task.family.held).toEqual({ root: expect.any(Boolean), parent: false, children: 0 });
    expect((await call(client, tools, 'get_task', { id: 'no-such-task' })).found).toBe(false);

    const hints = await call(client, tools, 'list_hints', {});
    expect(hints.queues.map((h: { queue: string }) => h.queue).sort()).toEqual(['celery', 'parked']);
    const findings = await call(client, tools, 'list_findings', {});
    expect(
      findings.findings.some(
        (f: { kind: string; queue: string }) => f.kind === 'no-consumer' && f.queue === 'parked',
      ),
    ).toBe(true);

    const search = await call(client, tools, 'search_queue', { queue: 'parked', text: 'NEEDLE-42' });
    expect(search).toMatchObject({ status: 'done', scanned: 3, queueLength: 3, total: 1 });
    expect(search.matches[0]).toMatchObject({
      id: parkedIds[0],
      name: 'app.echo',
      args: ['needle-42', { token: 'x' }],
    });

    expect(await call(client, tools, 'command_log', {})).toEqual({ entries: [], total: 0, nextCursor: null });
  });

  it('a bad cursor is a tool error the model can read, not a crash', async () => {
    const result = (await client.callTool({ name: 'list_queues', arguments: { cursor: 'bogus' } })) as Result;
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toMatch(/cursor 'bogus' is not one this server gave/);
  });
});

describe('qtop mcp --allow-writes --hide-args', () => {
  let client: Client;
  let tools: Tool[];

  it('adds the write tools, and hides args, results and tracebacks', async () => {
    client = await connect(['--allow-writes', '--hide-args']);
    tools = (await client.listTools()).tools as Tool[];
    expect(tools.map((t) => t.name).sort()).toEqual([...readTools, ...writeTools].sort());
    await waitFor(
      async () => (await call(client, tools, 'get_task', { id: failedId })).found,
      20_000,
      'the failed task',
    );
    const task = await call(client, tools, 'get_task', { id: failedId });
    expect(task.task).toMatchObject({
      args: null,
      kwargs: null,
      argsRepr: null,
      result: null,
      traceback: null,
    });
    const search = await call(client, tools, 'search_queue', { queue: 'parked', text: 'app.echo' });
    expect(search.matches[0]).toMatchObject({ id: parkedIds[0], args: null, kwargs: null, argsRepr: null });
  });

  it('revoke without confirm returns the plan and sends nothing; with confirm the worker revokes it', async () => {
    const id = parkedIds[1]!;
    const revoked = async () =>
      (await runQtop(['inspect', 'revoked', '-b', cluster.brokerUrl, '--json'])).stdout;
    const plan = await call(client, tools, 'revoke_task', { ids: [id] });
    expect(plan).toMatchObject({ executed: false, outcome: null });
    expect(plan.plan).toContain(`Revoke on every worker: ${id}`);
    expect(plan.plan).toContain('Nothing was sent');
    expect((await call(client, tools, 'command_log', {})).total).toBe(0);
    expect(await revoked()).not.toContain(id);

    const done = await call(client, tools, 'revoke_task', { ids: [id], confirm: true });
    expect(done.executed).toBe(true);
    expect(done.outcome).toMatchObject({ ok: true, kind: 'done' });
    expect(done.outcome.replies).toEqual([
      expect.objectContaining({ node: cluster.workers[0]!.hostname, status: 'ok' }),
    ]);
    expect(await revoked()).toContain(id);
    const log = await call(client, tools, 'command_log', {});
    expect(log.entries).toEqual([
      expect.objectContaining({ command: 'revoke', target: `task ${id}`, ok: true, kind: 'done' }),
    ]);
  });

  it('purge needs the queue name typed as confirm', async () => {
    const wrong = await call(client, tools, 'purge_queue', { queue: 'parked', confirm: 'yes' });
    expect(wrong).toMatchObject({ executed: false, outcome: null });
    expect(wrong.plan).toContain('confirm must be the queue name "parked" exactly');
    const llen = await runQtop(['--json', '-b', cluster.brokerUrl]);
    const parked = (
      JSON.parse(llen.stdout) as { queues: Array<{ name: string; total: number }> }
    ).queues.find((q) => q.name === 'parked');
    expect(parked?.total).toBe(3);
  });

  it('every write tool without confirm returns its plan and sends nothing', async () => {
    const w1 = cluster.workers[0]!.hostname;
    const plans: Array<[string, Record<string, unknown>, string]> = [
      ['terminate_task', { ids: [parkedIds[2]!], signal: 'KILL' }, 'Revoke and send SIGKILL'],
      ['retry_task', { ids: [failedId], queue: 'parked' }, 'Publish again under new ids to queue parked'],
      ['pool_grow', { worker: 'w1', n: 2 }, `Grow the pool of ${w1} by 2 (2 processes now).`],
      ['pool_shrink', { worker: w1, n: 1 }, `Shrink the pool of ${w1} by 1`],
      ['purge_queue', { queue: 'parked' }, 'Delete the 3 ready messages of queue parked.'],
    ];
    for (const [name, args, plan] of plans) {
      const answer = await call(client, tools, name, args);
      expect(answer, name).toMatchObject({ executed: false, outcome: null });
      expect(answer.plan, name).toContain(plan);
    }
    const unknown = (await client.callTool({
      name: 'pool_grow',
      arguments: { worker: 'w9', n: 1 },
    })) as Result;
    expect(unknown.isError).toBe(true);
    expect(unknown.content[0]?.text).toContain(`no single worker named 'w9': known workers are ${w1}`);
    expect((await call(client, tools, 'command_log', {})).total).toBe(1);
  });

  it('no answer, from either server, contains the Redis password', () => {
    expect(texts.length).toBeGreaterThan(15);
    expect(texts.filter((text) => text.includes(password))).toEqual([]);
  });
});
