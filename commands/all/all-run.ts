/**
 * `qtop --all`: every configured profile at once. With --json, one `qtop-all/1` document (each
 * profile's snapshot or error); without, one line per profile, worst first. Exit 0 when every
 * profile answered, 5 (partial) when one did not.
 */
import { exitCodes } from '../../src/base/exit-codes.js';
import { type AllDocument, clusterRow, formatRows } from '../../src/snapshot/all-rows.js';
import type { GlobalFlags } from '../config/config.js';
import type { CliIo } from '../shared/io.js';
import { type CollectAllOptions, collectAll } from './all-collect.js';

export async function runAll(
  flags: GlobalFlags,
  io: CliIo,
  options: CollectAllOptions & { json: boolean },
): Promise<void> {
  const clusters = await collectAll(flags, io.env, { windowMs: options.windowMs, limit: options.limit });
  if (options.json) {
    const doc: AllDocument = { schema: 'qtop-all/1', clusters };
    io.stdout.write(`${JSON.stringify(doc)}\n`);
  } else io.stdout.write(formatRows(clusters.map(clusterRow)));
  io.setExitCode(clusters.some((c) => 'error' in c) ? exitCodes.partial : exitCodes.ok);
}
