import {
  asArray,
  asNumber,
  asObject,
  asString,
  fail,
  field,
  guarded,
  isObject,
  jsonField,
  ok,
  parseJson,
  requireString,
  typeName,
} from './decoded.js';
import { metaStamps } from './stamps.js';
import type { ChordJoinMember, Decoded, GroupMeta, Json, JsonObject, ResultMeta } from './types.js';

// States whose result is a serialized exception {exc_type, exc_message, exc_module} (wire doc 9.1).
const exceptionStates = new Set(['FAILURE', 'RETRY', 'REVOKED']);

/**
 * Decode a `celery-task-meta-{id}` value (wire doc 9.1), the same text that is PUBLISHed on
 * the key's channel. `extended` is set when the meta has `name` (result_extended=True);
 * its args/kwargs are real JSON, the best source for a retry. Never throws.
 */
export function decodeResultMeta(raw: string): Decoded<ResultMeta> {
  return guarded('result meta', () => {
    const meta = parseObject(raw, 'result meta');
    if (!meta.ok) return meta;
    const m = meta.value;
    const status = asString(field(m, 'status'));
    if (!status) return fail('result meta has no status');
    const taskId = asString(field(m, 'task_id'));
    if (!taskId) return fail('result meta has no task_id');
    const result = jsonField(m, 'result');

    return ok({
      taskId,
      status,
      result,
      exception: exceptionStates.has(status) ? exceptionOf(result) : null,
      traceback: asString(field(m, 'traceback')),
      children: jsonField(m, 'children'),
      // 5.2 writes naive UTC; 5.4+ adds an offset (wire doc 10.2). Kept as written.
      dateDone: asString(field(m, 'date_done')),
      groupId: asString(field(m, 'group_id')),
      parentId: asString(field(m, 'parent_id')),
      extended: Object.hasOwn(m, 'name')
        ? {
            // null name: an unregistered task (wire doc 5.2, "Poison messages").
            name: asString(field(m, 'name')),
            args: asArray(field(m, 'args')),
            kwargs: asObject(field(m, 'kwargs')),
            worker: asString(field(m, 'worker')),
            retries: asNumber(field(m, 'retries')),
            queue: asString(field(m, 'queue')),
            ...stampsField(metaStamps(m)),
          }
        : null,
    });
  });
}

/**
 * Decode a `celery-taskset-meta-{gid}` value written by `GroupResult.save()` (wire doc 9.2):
 * `{"result": [[gid, parent], [[[child_id, parent], children], ...]]}`. `groupId` is the id
 * from the key; a value naming another group is rejected. Never throws.
 */
export function decodeGroupMeta(raw: string, groupId: string): Decoded<GroupMeta> {
  return guarded('group meta', () => {
    const meta = parseObject(raw, 'group meta');
    if (!meta.ok) return meta;
    const tuple = asArray(field(meta.value, 'result'));
    if (!tuple || tuple.length !== 2) return fail('group meta result is not [[group_id, parent], children]');
    const stored = asString(asArray(tuple[0])?.[0]);
    if (stored !== null && stored !== groupId) return fail(`group meta is for ${stored}, not ${groupId}`);
    const children = asArray(tuple[1]);
    if (!children) return fail(`group meta children is not an array (${typeName(tuple[1])})`);
    const childIds: string[] = [];
    for (const child of children) {
      // Each child is a result tuple [[id, parent], children]; a nested group keeps its own id.
      const id = asString(asArray(asArray(child)?.[0])?.[0]);
      if (id === null) return fail('group meta child is not [[id, parent], children]');
      childIds.push(id);
    }
    return ok({ groupId, childIds });
  });
}

/**
 * Decode one member of a chord's `celery-taskset-meta-{gid}.j` zset (or list):
 * `[1, task_id, state, result]` (wire doc 9.2). Never throws.
 */
export function decodeChordJoinMember(raw: string): Decoded<ChordJoinMember> {
  return guarded('chord join member', () => {
    const text = requireString(raw);
    if (!text.ok) return text;
    const parsed = parseJson(text.value);
    if (!parsed.ok) return parsed;
    const member = parsed.value;
    if (!Array.isArray(member) || member.length !== 4)
      return fail('chord join member is not [1, id, state, result]');
    const taskId = asString(member[1]);
    if (!taskId) return fail('chord join member has no task id');
    const state = asString(member[2]);
    if (!state) return fail('chord join member has no state');
    return ok({ taskId, state, result: member[3] ?? null });
  });
}

/** `{exc_type, exc_message, exc_module}` -> ResultException; null for any other shape. */
function exceptionOf(result: Json): ResultMeta['exception'] {
  if (!isObject(result)) return null;
  const type = asString(field(result, 'exc_type'));
  if (!type) return null;
  return { type, message: jsonField(result, 'exc_message'), module: asString(field(result, 'exc_module')) };
}

function parseObject(raw: string, what: string): Decoded<JsonObject> {
  const text = requireString(raw);
  if (!text.ok) return text;
  const parsed = parseJson(text.value);
  if (!parsed.ok) return parsed;
  return isObject(parsed.value)
    ? ok(parsed.value)
    : fail(`${what} is not a JSON object (${typeName(parsed.value)})`);
}

/** `{stamps}` only when there are any, so metas without stamps keep their old shape. */
function stampsField(stamps: JsonObject | null): { stamps?: JsonObject } {
  return stamps ? { stamps } : {};
}
