/**
 * Edit and retry, the Redis half: the call a retry would publish (read through the same recovery
 * as retry, retry-sources.ts), and the recovered call with the operator's args and/or kwargs put in
 * its place. The body keeps the original's embed (callbacks, errbacks, chain, chord) as raw text;
 * the new args and kwargs are written exactly (big ints and NaN as the operator typed them).
 */
import { stringifyExact } from '../../src/celery/json-exact.js';
import { jsonValueText } from '../../src/celery/json-span.js';
import type { CallOverride, EditableCall } from '../../src/control/call-edit.js';
import { type RecoveredCall, recoverCall } from './retry-sources.js';
import type { ControlRuntime } from './runtime.js';

const defaultEmbed = '{"callbacks": null, "errbacks": null, "chain": null, "chord": null}';

/** The call a retry of `taskId` would publish, or why it cannot be rebuilt exactly. Reads only. */
export async function retryCall(
  rt: ControlRuntime,
  taskId: string,
): Promise<{ ok: true; call: EditableCall } | { ok: false; summary: string }> {
  try {
    const recovered = await recoverCall(rt, taskId);
    if (!recovered.ok)
      return {
        ok: false,
        summary: `cannot edit ${taskId}: ${recovered.reasons.join('; ')}`,
      };
    const { call } = recovered;
    const queue = call.queue ?? rt.ctx.lookup.task(taskId)?.queue ?? null;
    return {
      ok: true,
      call: { name: call.name, args: call.args, kwargs: call.kwargs, queue, source: call.source },
    };
  } catch (error) {
    return { ok: false, summary: rt.failed(error, 'reading the call').summary };
  }
}

/**
 * `call` with `override` in place of its args and/or kwargs. The display reprs go too: the
 * original's would show the old call in every event and in Flower (the encoder writes new ones).
 */
export function withCall(call: RecoveredCall, override: CallOverride): RecoveredCall {
  const argsText = override.args
    ? stringifyExact(override.args)
    : (jsonValueText(call.bodyText, [0]) ?? '[]');
  const kwargsText = override.kwargs
    ? stringifyExact(override.kwargs)
    : (jsonValueText(call.bodyText, [1]) ?? '{}');
  const embedText = jsonValueText(call.bodyText, [2]) ?? defaultEmbed;
  return {
    ...call,
    args: override.args ?? call.args,
    kwargs: override.kwargs ?? call.kwargs,
    bodyText: `[${argsText}, ${kwargsText}, ${embedText}]`,
    argsRepr: null,
    kwargsRepr: null,
  };
}
