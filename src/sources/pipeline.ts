import type { ChainableCommander } from 'ioredis';

/** One command's outcome inside a pipeline: its reply, or the Redis error it got. */
export type PipelineReply = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Run a pipeline and return one reply per command, in order.
 *
 * Two kinds of failure are told apart on purpose:
 * - A Redis error reply to one command (WRONGTYPE because some other program stored a string under a
 *   queue name) comes back as `{ok:false}`, so one odd key cannot hide the rest of the cluster.
 * - Anything else (connection closed, timeout, a missing reply array) throws, so the sampler records a
 *   gap instead of showing zeros that look like empty queues.
 *
 * An empty pipeline is not sent at all.
 */
export async function runPipeline(pipeline: ChainableCommander): Promise<PipelineReply[]> {
  if (pipeline.length === 0) return [];
  const results = await pipeline.exec();
  if (!results) throw new Error('pipeline returned no replies');
  return results.map(([error, value]) => {
    if (!error) return { ok: true, value };
    if (error.name !== 'ReplyError') throw error;
    return { ok: false, error: error.message };
  });
}

/** The reply as a number, or 0 for an error reply or a non-number (LLEN/HLEN of a wrongly typed key). */
export function replyNumber(reply: PipelineReply | undefined): number {
  return reply?.ok && typeof reply.value === 'number' ? reply.value : 0;
}

/** The reply as a list of strings, or [] for an error reply (SMEMBERS/LRANGE of a wrongly typed key). */
export function replyStrings(reply: PipelineReply | undefined): string[] {
  if (!reply?.ok || !Array.isArray(reply.value)) return [];
  return reply.value.filter((item): item is string => typeof item === 'string');
}
