/**
 * Reading a `qtop-record/1` recording from a stream of chunks (the caller opens the file, so
 * this stays free of I/O). Strict in the middle, forgiving at the end: a recorder killed in
 * the middle of a write leaves a last line without its newline, which is left out and
 * reported; any other bad line is an error naming its line number, because skipping it would
 * replay a store that never existed.
 */
import type { Action, ActionType } from '../store/actions.js';
import { parseHeader, type RecordHeader } from './format.js';

/** The bytes or text of a recording, in pieces of any size (a file stream, or strings in tests). */
export type Chunks = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** A recording that cannot be replayed; the message is one line, with the line number when known. */
export class RecordingError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
  }
}

/** What a reader yields: the header first, then every action, then a note if the end was cut. */
export type RecordEntry =
  | { kind: 'header'; header: RecordHeader }
  | { kind: 'action'; action: Action; line: number }
  | { kind: 'truncated'; line: number };

/** A whole recording in memory. */
export interface Recording {
  header: RecordHeader;
  actions: Action[];
  /** The last line was cut off (no newline, not JSON) and left out. */
  truncated: boolean;
}

// Every type the reducers know; `satisfies` makes a new Action type a compile error here.
const actionTypes = new Set<string>(
  Object.keys({
    'events/received': true,
    'events/malformed': true,
    'queues/sampled': true,
    'unacked/sampled': true,
    'pidbox/sampled': true,
    'inspect/replied': true,
    'results/read': true,
    'source/failed': true,
    'source/recovered': true,
    'source/gap-explained': true,
    'load/measured': true,
    'beat/sampled': true,
    'task/retried-as': true,
  } satisfies Record<ActionType, true>),
);

/** Lines of the stream with their number and whether a newline ended them. */
async function* linesOf(chunks: Chunks): AsyncGenerator<{ text: string; number: number; ended: boolean }> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let number = 0;
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let from = 0;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n', from)) {
      number += 1;
      yield { text: pending.slice(from, end), number, ended: true };
      from = end + 1;
    }
    pending = pending.slice(from);
  }
  pending += decoder.decode();
  if (pending !== '') yield { text: pending, number: number + 1, ended: false };
}

function parseAction(text: string): Action | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an action object';
  const { type, at } = value as { type?: unknown; at?: unknown };
  if (typeof type !== 'string') return 'an action without a type';
  if (!actionTypes.has(type)) return `unknown action type '${type.slice(0, 60)}'`;
  if (typeof at !== 'number' || !Number.isFinite(at)) return `action ${type} without a time ('at')`;
  return value as Action;
}

/** The entries of a recording, in order; throws a RecordingError at the first bad line. */
export async function* recordEntries(chunks: Chunks): AsyncGenerator<RecordEntry> {
  let header = false;
  for await (const line of linesOf(chunks)) {
    if (!header) {
      const parsed = parseHeader(line.text);
      if (!parsed.ok) throw new RecordingError(parsed.reason, null);
      header = true;
      yield { kind: 'header', header: parsed.value };
      continue;
    }
    const action = parseAction(line.text);
    if (typeof action !== 'string') yield { kind: 'action', action, line: line.number };
    else if (!line.ended) yield { kind: 'truncated', line: line.number };
    else throw new RecordingError(action, line.number);
  }
  if (!header) throw new RecordingError('empty file: not a qtop recording', null);
}

/** Read a whole recording into memory. */
export async function loadRecording(chunks: Chunks): Promise<Recording> {
  let header: RecordHeader | null = null;
  const actions: Action[] = [];
  let truncated = false;
  for await (const entry of recordEntries(chunks)) {
    if (entry.kind === 'header') header = entry.header;
    else if (entry.kind === 'action') actions.push(entry.action);
    else truncated = true;
  }
  return { header: header!, actions, truncated };
}
