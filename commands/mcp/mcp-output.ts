/**
 * What every qtop MCP tool does to its answer: pages of a list (`limit` and an opaque `cursor`),
 * secrets scrubbed from every string, and the result in both forms MCP defines (structured content
 * checked against the tool's output schema, and the same JSON as text for clients without it).
 */
import { maskSecrets } from '../../src/redis/index.js';

/** Largest page any list tool returns; the default is smaller so answers stay small. */
export const maxLimit = 100;
export const defaultLimit = 20;

/** One page of `items` from `cursor` (an offset as an opaque string); `nextCursor` null at the end. */
export function page<T>(
  items: readonly T[],
  limit: number | undefined,
  cursor: string | undefined,
): { items: T[]; total: number; nextCursor: string | null } {
  const start = cursor === undefined ? 0 : decodeCursor(cursor);
  const size = Math.max(1, Math.min(maxLimit, limit ?? defaultLimit));
  const end = Math.min(items.length, start + size);
  return {
    items: items.slice(start, end),
    total: items.length,
    nextCursor: end < items.length ? encodeCursor(end) : null,
  };
}

/** Cursors say where the next page starts; they are opaque to clients, as MCP's pagination asks. */
function encodeCursor(offset: number): string {
  return Buffer.from(`qtop:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^qtop:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ToolInputError(`cursor '${cursor.slice(0, 40)}' is not one this server gave`);
  return Number(match[1]);
}

/** A caller's mistake: answered as a tool error (isError) with this message, not a protocol error. */
export class ToolInputError extends Error {}

/** `value` with every string scrubbed of the run's passwords and URL-shaped secrets. */
export function maskDeep<T>(value: T, secrets: readonly (string | undefined)[]): T {
  if (typeof value === 'string') return maskSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = maskDeep(item, secrets);
    return out as T;
  }
  return value;
}

/** A tool result: structured content plus its JSON text, masked. */
export function toolResult(value: Record<string, unknown>, secrets: readonly (string | undefined)[]) {
  const masked = maskDeep(value, secrets);
  return {
    structuredContent: masked,
    content: [{ type: 'text' as const, text: JSON.stringify(masked) }],
  };
}

/** A tool error the model can read and act on (MCP: errors inside the result, `isError: true`). */
export function toolError(message: string, secrets: readonly (string | undefined)[]) {
  return { isError: true, content: [{ type: 'text' as const, text: maskSecrets(message, secrets) }] };
}

/** Cut long text (tracebacks, reprs) so one answer stays small; the cut is said, never silent. */
export function clip(text: string | null, max: number): string | null {
  if (text === null || text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Run a tool body: its answer masked, or an input mistake as a tool error the model can read. */
export async function respond(
  ctx: { secrets: readonly (string | undefined)[] },
  body: () => Promise<Record<string, unknown>> | Record<string, unknown>,
) {
  try {
    return toolResult(await body(), ctx.secrets);
  } catch (error) {
    if (error instanceof ToolInputError) return toolError(error.message, ctx.secrets);
    throw error;
  }
}
