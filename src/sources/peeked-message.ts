import { decodeTaskMessage } from '../celery/task-message.js';
import type { TaskMessage } from '../celery/types.js';
import type { PeekedMessage } from '../store/actions.js';

/**
 * Raw messages longer than this (in characters) are not even parsed: a peek must stay cheap even
 * when someone queued a 50 MB argument. The message is still listed, with a note.
 */
export const MAX_DECODE_CHARS = 1_000_000;

/**
 * A queue list item as the store holds it (wire doc 4, 5). `position` is the place in execution
 * order (0 runs next) and `step` the priority list it sits in. Args and kwargs are kept as real
 * JSON only while their JSON text fits in `maxValueChars` together; bigger ones keep only the
 * (clipped) reprs, so one huge message cannot bloat the store or the screen.
 *
 * Never throws: anything undecodable becomes a message with null id/name and `note` saying why.
 */
export function toPeekedMessage(
  raw: string,
  position: number,
  step: number,
  maxValueChars: number,
): PeekedMessage {
  try {
    const bytes = Buffer.byteLength(raw, 'utf8');
    if (raw.length > MAX_DECODE_CHARS) {
      return undecoded(position, step, bytes, `message too large to decode (${bytes} bytes)`);
    }
    const decoded = decodeTaskMessage(raw);
    if (!decoded.ok) return undecoded(position, step, bytes, decoded.reason);
    return peekedFromTask(decoded.value, position, step, maxValueChars, bytes);
  } catch (error) {
    // Only a non-string `raw` can get here (the decoders never throw); keep the promise anyway.
    const reason = error instanceof Error ? error.message : String(error);
    return undecoded(position, step, 0, `not a message: ${reason}`);
  }
}

/**
 * The same conversion for a task that was already decoded, such as the message inside an
 * `unacked` hash value (wire doc 3.3). `bytes` defaults to the length the envelope was decoded from.
 */
export function peekedFromTask(
  message: TaskMessage,
  position: number,
  step: number,
  maxValueChars: number,
  bytes: number = message.envelope.rawBytes,
): PeekedMessage {
  let args = message.args;
  let kwargs = message.kwargs;
  // An opaque (pickle, msgpack) payload has no args to show; the decoder says why.
  let note = message.payloadNote;
  if (args !== null || kwargs !== null) {
    const size = jsonLength(args) + jsonLength(kwargs);
    if (size > maxValueChars) {
      args = null;
      kwargs = null;
      note = Number.isFinite(size) ? `args too large to show (${size} characters)` : 'args too large to show';
    }
  }
  return {
    position,
    priorityStep: step,
    id: message.id,
    name: message.name,
    args,
    kwargs,
    // Celery cuts reprs at 1024 characters (wire doc 5.1); hand-built messages may not.
    argsRepr: clip(message.argsRepr, maxValueChars),
    kwargsRepr: clip(message.kwargsRepr, maxValueChars),
    eta: message.eta,
    expires: message.expires,
    retries: message.retries,
    redelivered: message.redelivered,
    bytes,
    note,
    ...(message.stamps ? { stamps: message.stamps } : {}),
    rootId: message.rootId,
    parentId: message.parentId,
    groupId: message.groupId,
    chordId: chordBodyId(message.embed),
    ...chainOf(message.embed),
  };
}

function undecoded(position: number, step: number, bytes: number, note: string): PeekedMessage {
  return {
    position,
    priorityStep: step,
    id: null,
    name: null,
    args: null,
    kwargs: null,
    argsRepr: null,
    kwargsRepr: null,
    eta: null,
    expires: null,
    retries: 0,
    redelivered: false,
    bytes,
    note,
  };
}

/** Length of the JSON text; a value that cannot be stringified (absurd nesting) counts as endless. */
function jsonLength(value: unknown): number {
  if (value === null) return 0;
  try {
    return JSON.stringify(value).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function clip(text: string | null, max: number): string | null {
  if (text === null || text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** The chord body's task id in a header member's embed (`{chord: {options: {task_id}}}`), or null. */
function chordBodyId(embed: TaskMessage['embed']): string | null {
  const chord = embed !== null && typeof embed === 'object' && !Array.isArray(embed) ? embed.chord : null;
  if (chord === null || typeof chord !== 'object' || Array.isArray(chord)) return null;
  const options = chord.options;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return null;
  return typeof options.task_id === 'string' ? options.task_id : null;
}

/** Most chain links kept per message: the tree shows what is next, not a 10,000-link chain in full. */
export const maxChainLinks = 100;

/**
 * The chain links a message still carries (`embed.chain`), in the order they will run. Celery
 * keeps them reversed, the next link last, and pops one per step (checked on 5.2.6:
 * `chain(add, echo, echo)` queues `add` with `[echo#3, echo#2]`). Each link is a signature whose
 * `options.task_id` was set when the chain was frozen; a link without an id is left out, never
 * given one.
 */
function chainOf(embed: TaskMessage['embed']): { chain?: { id: string; name: string | null }[] } {
  const chain = embed !== null && typeof embed === 'object' && !Array.isArray(embed) ? embed.chain : null;
  if (!Array.isArray(chain) || chain.length === 0) return {};
  const links: { id: string; name: string | null }[] = [];
  for (const sig of [...chain].reverse().slice(0, maxChainLinks)) {
    if (sig === null || typeof sig !== 'object' || Array.isArray(sig)) break;
    const options = sig.options;
    const id =
      options !== null && typeof options === 'object' && !Array.isArray(options) ? options.task_id : null;
    // Without the id of one link, the ones after it cannot be placed: stop there.
    if (typeof id !== 'string') break;
    links.push({ id, name: typeof sig.task === 'string' ? sig.task : null });
  }
  return links.length > 0 ? { chain: links } : {};
}
