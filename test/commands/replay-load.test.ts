import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTimeline } from '../../commands/record/replay-load.js';
import { UsageError } from '../../commands/shared/usage-error.js';
import { fixtureActions, header } from '../record/recording-fixture.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-replay-load-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function usageError(file: string): Promise<string> {
  const error = await loadTimeline(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as Error).message;
}

describe('opening a recording', () => {
  it('indexes a recording file', async () => {
    const actions = fixtureActions();
    const file = write('ok.ndjson', `${[header, ...actions].map((v) => JSON.stringify(v)).join('\n')}\n`);
    const timeline = await loadTimeline(file);
    expect(timeline.actions).toHaveLength(actions.length);
    expect(timeline.startAt).toBe(Date.parse(header.startedAt));
  });

  it('names the file in every error, and never passes a terminal sequence from the file through', async () => {
    expect(await usageError(path.join(dir, 'missing.ndjson'))).toBe(
      `${path.join(dir, 'missing.ndjson')}: no such file`,
    );
    expect(await usageError(dir)).toBe(`${dir}: is a directory, not a recording`);
    const hostile = write(
      'hostile.ndjson',
      `${JSON.stringify({ ...header, schema: '\u001b]52;c;cm0=\u0007' })}\n`,
    );
    const message = await usageError(hostile);
    expect(message).toContain('\\x1b]52;c;cm0=\\x07');
    expect(message).not.toMatch(/[\u0000-\u001f]/);
    const snippet = write('snippet.ndjson', `${JSON.stringify(header)}\n\u001b[2J not json\n{}\n`);
    const parseError = await usageError(snippet);
    expect(parseError).toMatch(/^.*snippet\.ndjson: line 2: not JSON/);
    expect(parseError).not.toMatch(/[\u0000-\u001f]/);
  });
});
