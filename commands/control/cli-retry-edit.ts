/**
 * `qtop retry ID --args '[…]' --kwargs '{…}'`: edit and retry from the command line. The flags are
 * checked (a JSON array, a JSON object, exact) before anything connects; a bad one exits 2.
 */
import type { EditRetryParams } from '../../src/control/actions/retry-edit.js';
import { type CallOverride, parseArgsText, parseKwargsText } from '../../src/control/call-edit.js';
import { UsageError } from '../shared/usage-error.js';

/** The edit-and-retry params the flags give, or a UsageError. */
export function editedRetryParams(
  ids: string[],
  opts: {
    args?: string;
    kwargs?: string;
    failed?: string;
    filter?: string;
    queue?: string;
    confirm?: string;
    dryRun?: boolean;
  },
): EditRetryParams {
  if (ids.length !== 1) throw new UsageError('--args and --kwargs edit one task: give exactly one task id');
  if (opts.failed || opts.filter || opts.confirm || opts.dryRun)
    throw new UsageError('--args and --kwargs go without --failed, --filter, --confirm and --dry-run');
  if (opts.queue) throw new UsageError('--args and --kwargs keep the original routing: leave out --queue');
  const call: CallOverride = {};
  if (opts.args !== undefined) {
    const parsed = parseArgsText(opts.args);
    if (!parsed.ok) throw new UsageError(parsed.error);
    call.args = parsed.value;
  }
  if (opts.kwargs !== undefined) {
    const parsed = parseKwargsText(opts.kwargs);
    if (!parsed.ok) throw new UsageError(parsed.error);
    call.kwargs = parsed.value;
  }
  return { taskId: ids[0]!, name: null, original: null, call, queue: null };
}
