import { fail, guarded, ok, typeName } from './decoded.js';
import type { Binding, Decoded } from './types.js';

/**
 * Split one member of a `_kombu.binding.{exchange}` set into `routing_key SEP pattern SEP
 * queue` (wire doc 3.1). `sep` is kombu's `sep` option (`\x06\x16` by default, see
 * options.ts). Anything but exactly three parts is rejected rather than guessed. Never throws.
 */
export function decodeBinding(member: string, sep: string): Decoded<Binding> {
  return guarded('binding', () => {
    if (typeof member !== 'string') return fail(`binding member is not a string (${typeName(member)})`);
    if (typeof sep !== 'string' || sep === '') return fail('binding separator is empty');
    const parts = member.split(sep);
    if (parts.length !== 3) return fail(`binding member has ${parts.length} parts, expected 3`);
    const [routingKey, pattern, queue] = parts as [string, string, string];
    // Celery's direct queues: `celery SEP SEP celery`, an empty pattern (wire doc 3.1).
    return ok({ routingKey, pattern, queue });
  });
}
