/**
 * The machinery every control action shares: the write gate (`--read-only`, or a Redis user found
 * without write permission), pidbox rounds on a dedicated reply connection, one at a time, the live
 * worker list, and turning replies or failures into a `ControlOutcome`. One runtime per Controls.
 */
import os from 'node:os';
import type { Redis } from 'ioredis';
import { mailboxBindingKey, nodeOfMailboxMember } from '../../src/celery/names.js';
import {
  type ControlOutcome,
  type Destination,
  type OutcomeKind,
  readOnlyModeReason,
  type WorkerReply,
} from '../../src/control/controls.js';
import {
  type PidboxRoundRequest,
  type PidboxRoundResult,
  pidboxRound,
} from '../../src/sources/pidbox-round.js';
import type { ControlsContext } from './context.js';
import { fromReplies, isNoPerm, noPermReason, opaqueReplyMessage, outcome, replyMessage } from './outcome.js';

/** One round's replies, per worker, plus the raw round for callers that need reply values. */
export interface RoundReplies {
  replies: WorkerReply[];
  round: PidboxRoundResult;
}

/** The shared state and helpers of one Controls instance; every action file takes it first. */
export interface ControlRuntime {
  readonly ctx: ControlsContext;
  /** Null when writes are allowed, else why not and which kind of refusal it is. */
  writeBlock(): { kind: OutcomeKind; reason: string } | null;
  /** The refusal outcome when writes are blocked, else null: call first in every write action. */
  refuseWrite(): ControlOutcome | null;
  /** A pidbox round (wire doc 7.2) with replies per worker; rounds run one after another. */
  round(request: PidboxRoundRequest, expect: string[], reply?: boolean): Promise<RoundReplies>;
  /** Workers in the pidbox binding set (wire doc 3.1) and those the model believes alive, sorted. */
  liveWorkers(): Promise<string[]>;
  /** Node names for `destination`, or the not-found outcome naming the workers that do exist. */
  resolve(destination: Destination): Promise<{ nodes: string[] | null; expect: string[] } | ControlOutcome>;
  /** The outcome for an exception: interrupted, NOPERM (which also closes the write gate), unreachable. */
  failed(error: unknown, what: string): ControlOutcome;
  /** `headers.origin` for published tasks. */
  readonly origin: string;
  /** Queues paused by this runtime: queue -> the workers whose consumer was cancelled. */
  readonly paused: Map<string, Set<string>>;
  close(): void;
}

/** Build the runtime for one Controls instance. */
export function createRuntime(ctx: ControlsContext): ControlRuntime {
  let noPerm: string | null = ctx.writeDenied ?? null;
  let replies: Redis | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  const repliesClient = (): Redis => {
    // BRPOP blocks its connection, so rounds never share the collector's or the command connection.
    if (replies) return replies;
    replies = ctx.broker.duplicate({ connectionName: 'qtop-control-replies', enableOfflineQueue: true });
    replies.on('error', () => {}); // failures surface as rejected BRPOPs
    return replies;
  };

  const runtime: ControlRuntime = {
    ctx,
    origin: ctx.origin ?? `qtop@${os.hostname()}`,
    paused: new Map(),
    writeBlock() {
      if (ctx.readOnly) return { kind: 'refused', reason: ctx.readOnlyReason ?? readOnlyModeReason };
      return noPerm === null ? null : { kind: 'no-permission', reason: noPerm };
    },
    refuseWrite() {
      const block = runtime.writeBlock();
      return block ? outcome(block.kind, `refused: ${block.reason}`) : null;
    },
    round(request, expect, reply = true) {
      const run = chain.then(async () => {
        const round = await pidboxRound(
          ctx.broker,
          repliesClient(),
          ctx.wire,
          request,
          { timeoutMs: ctx.timeoutMs, expect, reply, signal: ctx.signal },
          ctx.clock,
        );
        const list: WorkerReply[] = round.replies.map((r) => ({
          node: r.node,
          status: r.error === null ? 'ok' : 'error',
          message: r.error ?? replyMessage(r.value),
        }));
        // Replied, but in a serializer qtop never decodes: a reply all the same, never silence.
        for (const r of round.opaque)
          list.push({ node: r.node ?? '(unnamed)', status: 'ok', message: opaqueReplyMessage(r.serializer) });
        const wait = `${(ctx.timeoutMs / 1000).toFixed(1)} s`;
        for (const node of round.silent)
          list.push({ node, status: 'no-reply', message: `no reply within ${wait}` });
        list.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
        return { replies: list, round };
      });
      chain = run.catch(() => {});
      return run;
    },
    async liveWorkers() {
      const members = await ctx.broker.smembers(mailboxBindingKey(ctx.wire));
      const nodes = members.map((m) => nodeOfMailboxMember(ctx.wire, m)).filter((n) => n !== null);
      return [...new Set([...nodes, ...ctx.lookup.knownWorkers()])].sort();
    },
    async resolve(destination) {
      const live = await runtime.liveWorkers();
      const known = live.length
        ? `running workers: ${live.join(', ')}`
        : 'no worker is running on this broker';
      if (destination === 'all') {
        if (live.length === 0)
          return outcome('not-found', `no workers: ${known} (pidbox binding set is empty)`);
        return { nodes: null, expect: live };
      }
      const nodes: string[] = [];
      for (const name of destination) {
        // `w1` finds `w1@host` when exactly one running worker has that name (Celery needs the full name).
        const matches = live.includes(name) ? [name] : live.filter((n) => n.startsWith(`${name}@`));
        if (matches.length !== 1) {
          const why = matches.length ? `'${name}' is ambiguous` : `no worker named '${name}'`;
          return outcome('not-found', `${why}; ${known}`);
        }
        nodes.push(matches[0]!);
      }
      return { nodes, expect: nodes };
    },
    failed(error, what) {
      if (ctx.signal?.aborted) return outcome('interrupted', `${what} interrupted; reply binding removed`);
      if (isNoPerm(error)) {
        noPerm = noPermReason(error);
        return outcome('no-permission', `refused: ${noPerm}`);
      }
      const message = error instanceof Error ? error.message : String(error);
      const down =
        /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|max retries|Stream isn't writeable/i;
      return outcome(
        down.test(message) ? 'unreachable' : 'error',
        `${what} failed: ${message.split('\n')[0]}`,
      );
    },
    close() {
      replies?.disconnect();
      replies = null;
    },
  };
  return runtime;
}

/** The node name list a destination resolves to, for messages ("all workers" or "w1@h, w2@h"). */
export function describeNodes(nodes: string[] | null, expect: string[]): string {
  if (nodes === null) return `all workers (${expect.length})`;
  return nodes.join(', ');
}

/**
 * The common shape of a control command: resolve `destination`, run one round, and judge the replies
 * (`fromReplies`). Every failure becomes an outcome; nothing throws.
 */
export async function sendCommand(
  rt: ControlRuntime,
  destination: Destination,
  request: PidboxRoundRequest,
  done: (target: string) => string,
  notFoundError?: RegExp,
): Promise<ControlOutcome> {
  try {
    const resolved = await rt.resolve(destination);
    if ('summary' in resolved) return resolved;
    const { replies } = await rt.round({ ...request, destination: resolved.nodes }, resolved.expect);
    return fromReplies(
      done(describeNodes(resolved.nodes, resolved.expect)),
      replies,
      undefined,
      notFoundError,
    );
  } catch (error) {
    return rt.failed(error, request.method);
  }
}
