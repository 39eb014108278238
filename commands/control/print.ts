/**
 * Printing a control outcome. `--json`: one object `{schema: 'qtop-control/1', command, ok, kind,
 * summary, replies, details}` on stdout (and, when not ok, the summary as one line on stderr, like
 * `qtop --json`). Text: the summary (stdout when done, `qtop: …` on stderr otherwise), one line per
 * worker, then what the details hold: task notes, retry links, inspect replies.
 */
import type { ControlOutcome } from '../../src/control/controls.js';
import type { CliIo } from '../shared/io.js';
import { kindOf } from './outcome.js';

/** Version tag of the JSON outcome object. */
export const CONTROL_SCHEMA = 'qtop-control/1';

/** Write `result` to `io` as JSON or text; `mask` scrubs passwords from anything printed. */
export function printOutcome(
  io: CliIo,
  command: string,
  result: ControlOutcome,
  json: boolean,
  mask: (text: string) => string,
): void {
  const kind = kindOf(result);
  if (kind !== 'done') io.stderr.write(mask(`qtop: ${result.summary}\n`));
  if (json) {
    const value = { schema: CONTROL_SCHEMA, command, ok: result.ok, kind, summary: result.summary };
    io.stdout.write(
      mask(`${JSON.stringify({ ...value, replies: result.replies, details: result.details ?? {} })}\n`),
    );
    return;
  }
  const lines: string[] = kind === 'done' ? [result.summary] : [];
  const width = Math.max(0, ...result.replies.map((r) => r.node.length));
  for (const reply of result.replies)
    lines.push(`  ${reply.node.padEnd(width)}  ${reply.status.padEnd(8)}  ${reply.message}`);
  lines.push(...detailLines(result.details ?? {}));
  if (lines.length) io.stdout.write(mask(`${lines.join('\n')}\n`));
}

function detailLines(details: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const { tasks, retried, refused, replies } = details as {
    tasks?: Record<string, string>;
    retried?: { oldId: string; newId: string; name: string; queue: string; source: string }[];
    refused?: { id: string; reason: string }[];
    replies?: Record<string, unknown>;
  };
  for (const [id, note] of Object.entries(tasks ?? {})) lines.push(`  ${id}: ${note}`);
  for (const link of retried ?? []) {
    lines.push(`  ${link.oldId} -> ${link.newId}  ${link.name} on ${link.queue} (from ${link.source})`);
  }
  for (const r of refused ?? []) lines.push(`  refused ${r.id}: ${r.reason}`);
  for (const [node, value] of Object.entries(replies ?? {})) {
    lines.push(`-> ${node}:`);
    lines.push(
      ...JSON.stringify(value, null, 2)
        .split('\n')
        .map((line) => `   ${line}`),
    );
  }
  return lines;
}
