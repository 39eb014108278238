import { describe, expect, it } from 'vitest';
import { createCommandLog } from '../../commands/mcp/mcp-context.js';
import { clip, maskDeep, page, respond, ToolInputError, toolResult } from '../../commands/mcp/mcp-output.js';
import { messageOut } from '../../commands/mcp/mcp-search-log-tools.js';
import type { PeekedMessage } from '../../src/store/actions.js';

// The pure parts every qtop MCP answer goes through: pages, secrets scrubbed, --hide-args, the log.
describe('qtop mcp answers', () => {
  it('pages with an opaque cursor to the end, capped at 100 per page', () => {
    const items = Array.from({ length: 45 }, (_, i) => i);
    const first = page(items, undefined, undefined);
    expect(first.items).toEqual(items.slice(0, 20));
    expect(first.total).toBe(45);
    expect(first.nextCursor).not.toMatch(/^\d+$/);
    const second = page(items, 20, first.nextCursor ?? undefined);
    expect(second.items).toEqual(items.slice(20, 40));
    const last = page(items, 20, second.nextCursor ?? undefined);
    expect(last).toEqual({ items: items.slice(40), total: 45, nextCursor: null });
    expect(
      page(
        Array.from({ length: 500 }, () => 0),
        1_000,
        undefined,
      ).items,
    ).toHaveLength(100);
    expect(() => page(items, 5, 'bogus')).toThrow(ToolInputError);
  });

  it('scrubs the password, raw or percent-encoded, and URL userinfo from every string at any depth', () => {
    const value = {
      broker: 'redis://:p@ss w0rd@10.0.0.5:6379/0',
      nested: [{ error: 'NOAUTH for p%40ss%20w0rd' }, 'plain', 3, null],
      other: 'see redis://user:hunter2@db:6379/1',
    };
    expect(maskDeep(value, ['p@ss w0rd'])).toEqual({
      broker: 'redis://:***@10.0.0.5:6379/0',
      nested: [{ error: 'NOAUTH for ***' }, 'plain', 3, null],
      other: 'see redis://user:***@db:6379/1',
    });
    const result = toolResult({ url: 'redis://:pw123@h:1/0' }, ['pw123']);
    expect(result.structuredContent).toEqual({ url: 'redis://:***@h:1/0' });
    expect(result.content[0]?.text).toBe('{"url":"redis://:***@h:1/0"}');
  });

  it('an input mistake is a tool error with the message masked; other errors propagate', async () => {
    const bad = await respond({ secrets: ['pw123'] }, () => {
      throw new ToolInputError('no worker w9 on redis://:pw123@h:1/0');
    });
    expect(bad).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'no worker w9 on redis://:***@h:1/0' }],
    });
    await expect(
      respond({ secrets: [] }, () => {
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
  });

  it('--hide-args leaves out the call of a waiting message; clip says what it cut', () => {
    const message: PeekedMessage = {
      position: 0,
      priorityStep: 0,
      id: 't1',
      name: 'app.echo',
      args: ['secret-arg'],
      kwargs: { k: 1 },
      argsRepr: "('secret-arg',)",
      kwargsRepr: "{'k': 1}",
      eta: null,
      expires: null,
      retries: 0,
      redelivered: false,
      bytes: 10,
      note: null,
    };
    expect(messageOut(message, false)).toEqual(message);
    expect(JSON.stringify(messageOut(message, true))).not.toContain('secret-arg');
    expect(clip('abcdef', 4)).toBe('abcd… (2 more characters)');
    expect(clip('abc', 4)).toBe('abc');
  });

  it('the command log keeps entries and writes one masked line each', () => {
    const lines: string[] = [];
    const log = createCommandLog(
      (line) => lines.push(line),
      (text) => text.replace('pw123', '***'),
    );
    log.record({
      at: 1,
      command: 'purge',
      target: 'q',
      outcome: { ok: true, summary: 'purged 3 from pw123', replies: [] },
    });
    expect(log.entries()).toHaveLength(1);
    expect(lines).toEqual(['qtop mcp: purge q: done: purged 3 from ***\n']);
  });
});
