/**
 * The incident recording format, `qtop-record/1`: NDJSON whose first line is a header saying
 * what was recorded and how (masked URLs, the model's limits), and every later line one store
 * Action exactly as the sources dispatched it. Replaying the actions through the same reducers
 * rebuilds the store at any moment of the recording.
 */
import type { ModelConfig } from '../store/model.js';

export const recordSchema = 'qtop-record/1';

/** Line 1 of a recording. */
export interface RecordHeader {
  schema: typeof recordSchema;
  /** The qtop that recorded it. */
  qtopVersion: string;
  /** Masked URLs: a recording never holds a password. */
  broker: string;
  backend: string | null;
  /** Why `backend` is null (a result backend that is not Redis), as in a snapshot's meta. */
  backendNote: string | null;
  /** When the recorded store was created (its `model.startedAt`), ISO 8601 with milliseconds. */
  startedAt: string;
  /** The store's limits: replaying with other limits would evict other tasks. */
  model: ModelConfig;
  label: string | null;
  /** `--hide-args` of the recording run: a replay hides args too. */
  hideArgs: boolean;
  /** The broker's visibility_timeout, which the redelivery findings depend on. */
  visibilityTimeoutSec: number;
}

/** A parse result; decoders here return reasons rather than throw. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const modelKeys: (keyof ModelConfig)[] = [
  'maxTasks',
  'maxTimeline',
  'heartbeatExpiry',
  'maxValueChars',
  'rateBucketMs',
  'rateBuckets',
  'maxGaps',
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nullableString = (value: unknown) => value === null || typeof value === 'string';

/** Check line 1 of a recording; the reason names what is wrong in one line. */
export function parseHeader(line: string): Parsed<RecordHeader> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'line 1 is not JSON: not a qtop recording' };
  }
  if (!isObject(value)) return { ok: false, reason: 'line 1 is not a header object: not a qtop recording' };
  if (value.schema !== recordSchema) {
    const found = typeof value.schema === 'string' ? `'${value.schema.slice(0, 40)}'` : 'none';
    return {
      ok: false,
      reason: `schema ${found}, expected '${recordSchema}' (not a qtop recording, or a newer one)`,
    };
  }
  const model = value.model;
  const problems: string[] = [];
  if (typeof value.qtopVersion !== 'string') problems.push('qtopVersion');
  if (typeof value.broker !== 'string') problems.push('broker');
  if (!nullableString(value.backend)) problems.push('backend');
  if (!nullableString(value.backendNote)) problems.push('backendNote');
  if (typeof value.startedAt !== 'string' || !Number.isFinite(Date.parse(value.startedAt)))
    problems.push('startedAt');
  if (!isObject(model) || modelKeys.some((key) => typeof model[key] !== 'number')) problems.push('model');
  if (!nullableString(value.label)) problems.push('label');
  if (typeof value.hideArgs !== 'boolean') problems.push('hideArgs');
  if (typeof value.visibilityTimeoutSec !== 'number') problems.push('visibilityTimeoutSec');
  if (problems.length > 0) return { ok: false, reason: `header: bad or missing ${problems.join(', ')}` };
  return { ok: true, value: value as unknown as RecordHeader };
}

/** The header's start time in epoch ms. */
export function headerStartMs(header: RecordHeader): number {
  return Date.parse(header.startedAt);
}
