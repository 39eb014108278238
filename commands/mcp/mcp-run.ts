/**
 * `qtop mcp`: the live collector of one cluster behind an MCP server on stdio, for assistants. The
 * session is the live screen's (reconnecting collector, controls on a connection of their own, the
 * queue search); without `--allow-writes` it is opened read-only, so no write tool exists and the
 * controls refuse anyway. stdout carries only MCP messages: everything for people goes to stderr.
 * Ends when the client closes stdin, or on SIGINT/SIGTERM.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { systemClock } from '../../src/base/clock.js';
import { ConnectError, exitCodeFor, maskSecrets, maskUrl } from '../../src/redis/index.js';
import type { Store } from '../../src/store/store.js';
import type { RunConfig } from '../config/config.js';
import { openSession, type TuiSession } from '../live/tui-session.js';
import type { CliIo } from '../shared/io.js';
import { readVersion } from '../shared/version.js';
import { createCommandLog, type McpContext } from './mcp-context.js';
import { registerReadTools } from './mcp-read-tools.js';
import { registerSearchLogTools } from './mcp-search-log-tools.js';
import { registerWriteTools } from './mcp-write-tools.js';

export interface McpOptions {
  /** `--allow-writes`: register the write tools (each still needs `confirm`). */
  allowWrites: boolean;
}

const instructions = `qtop reads a Celery cluster on Redis live. Start with snapshot_summary, then list_findings
(what is wrong now) and list_queues / list_workers / list_failures; get_task gives one task with its
traceback and family; search_queue looks inside one queue. Lists are paged: pass nextCursor as cursor.
Write tools (only with qtop mcp --allow-writes) return a plan unless called with confirm.`;

/** Longest wait for the first pass of the sources before a tool answers with what it has. */
const firstPassMs = 3_000;

/** A promise that resolves once queues and inspect have each answered once (or failed), bounded. */
function firstPass(store: Store): () => Promise<void> {
  let ready: Promise<void> | null = null;
  const done = () => {
    const { queues, inspect } = store.getModel().sources;
    return [queues, inspect].every((h) => h.lastOkAt !== null || h.lastError !== null);
  };
  return () => {
    ready ??= new Promise<void>((resolve) => {
      const started = Date.now();
      const tick = () => {
        if (done() || Date.now() - started > firstPassMs) resolve();
        else setTimeout(tick, 50).unref();
      };
      tick();
    });
    return ready;
  };
}

/** Serve MCP on stdio until the client leaves; exit 3/4 with one line when Redis cannot be reached. */
export async function runMcp(config: RunConfig, io: CliIo, options: McpOptions): Promise<void> {
  const clock = systemClock;
  let session: TuiSession;
  try {
    session = await openSession(
      { ...config, readOnly: config.readOnly || !options.allowWrites },
      clock,
      null,
    );
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    io.stderr.write(`qtop: ${error.message}\n`);
    io.setExitCode(exitCodeFor(error.code));
    return;
  }
  const secrets = session.secrets;
  const mask = (text: string) => maskSecrets(text, secrets);
  const search = session.searchQueue;
  const ctx: McpContext = {
    store: session.store,
    clock,
    secrets,
    broker: maskUrl(config.brokerUrl),
    label: config.label,
    readOnly: config.readOnly || !options.allowWrites,
    hideArgs: config.hideArgs,
    hintOptions: { visibilityTimeoutSec: config.wire.visibilityTimeout },
    writesAllowed: () => options.allowWrites && session.controls.canWrite,
    ready: firstPass(session.store),
    searchQueue: (queue, text) => {
      if (!search) throw new Error('queue search is not available in this session');
      return search(queue, text);
    },
    controls: session.controls,
    log: createCommandLog((line) => io.stderr.write(line), mask),
  };
  const server = new McpServer({ name: 'qtop', version: readVersion() }, { instructions });
  registerReadTools(server, ctx);
  registerSearchLogTools(server, ctx);
  if (options.allowWrites) registerWriteTools(server, ctx);
  try {
    session.start();
    await server.connect(new StdioServerTransport());
    const writes = !options.allowWrites
      ? 'read-only (qtop mcp --allow-writes adds the write tools)'
      : session.controls.canWrite
        ? 'writes allowed, each with confirm'
        : `write tools listed but refused: ${session.controls.readOnlyReason ?? 'read-only'}`;
    io.stderr.write(mask(`qtop mcp: serving ${ctx.broker} over stdio, ${writes}\n`));
    await untilClosed();
  } finally {
    await server.close().catch(() => undefined);
    await session.close();
  }
}

/** The client closing stdin ends the server, as MCP's stdio transport specifies; so do signals. */
function untilClosed(): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      process.stdin.off('end', finish);
      process.stdin.off('close', finish);
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      resolve();
    };
    process.stdin.once('end', finish);
    process.stdin.once('close', finish);
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
}
