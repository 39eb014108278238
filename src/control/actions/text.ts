/** Small wording helpers the action records share: cluster names sanitized, counts in words. */
import { sanitize } from '../../output/sanitize.js';
import type { Destination } from '../controls.js';

/** A name from the cluster, safe to show; '?' when unknown. */
export const s = (text: string | null) => sanitize(text ?? '?');

/** Names as a list, or 'none'. */
export const list = (names: string[]) => (names.length === 0 ? 'none' : names.map(s).join(', '));

/** `n thing` or `n things`. */
export const count = (n: number, thing: string) => `${n} ${thing}${n === 1 ? '' : 's'}`;

/** A dialog without a typed confirmation or choices. */
export function plain(title: string, confirmLabel: string, lines: string[]) {
  return { title, confirmLabel, lines, typeToConfirm: null, choices: null };
}

/** Who a command goes to, as the log names it. */
export const onWorkers = (d: Destination | undefined) =>
  d === undefined || d === 'all' ? 'all workers' : d.join(', ');
