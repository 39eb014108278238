import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../src/record/format.js';
import { loadRecording, RecordingError, recordEntries } from '../../src/record/reader.js';
import { fixtureActions, header } from './recording-fixture.js';

/** `text` as a stream of chunks of `size` bytes (splitting lines and UTF-8 characters). */
async function* chunks(text: string, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const lines = (...values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
const file = (...values: unknown[]) => `${lines(...values).join('\n')}\n`;

async function failure(text: string): Promise<RecordingError> {
  const error = await loadRecording(chunks(text)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RecordingError);
  return error as RecordingError;
}

describe('recording reader', () => {
  it('reads the header and every action, whatever the chunk boundaries', async () => {
    const actions = fixtureActions();
    const text = file(header, ...actions);
    for (const size of [1, 3, 64, 1 << 20]) {
      const recording = await loadRecording(chunks(text, size));
      expect(recording.header).toEqual(header);
      expect(recording.actions).toEqual(actions);
      expect(recording.truncated).toBe(false);
    }
  });

  it('keeps a multi-byte character split across chunks intact', async () => {
    const action = { type: 'source/failed', at: 1, source: 'queues', reason: 'queue ✗ 名前 \u202e' };
    const recording = await loadRecording(chunks(file(header, action), 1));
    expect(recording.actions).toEqual([action]);
  });

  it('yields the header first, then actions with their line numbers', async () => {
    const entries = [];
    for await (const entry of recordEntries(chunks(file(header, ...fixtureActions().slice(0, 2)))))
      entries.push(entry);
    expect(entries.map((e) => e.kind)).toEqual(['header', 'action', 'action']);
    expect(entries.slice(1).map((e) => (e.kind === 'action' ? e.line : 0))).toEqual([2, 3]);
  });

  it('leaves out a last line cut off in the middle (no newline), and says so', async () => {
    const [a, b] = fixtureActions();
    const whole = file(header, a, b);
    const cut = whole.slice(0, whole.length - 12); // part of b, no newline
    const recording = await loadRecording(chunks(cut));
    expect(recording.actions).toEqual([a]);
    expect(recording.truncated).toBe(true);
  });

  it('accepts a complete last line without its newline', async () => {
    const [a, b] = fixtureActions();
    const recording = await loadRecording(chunks(file(header, a, b).slice(0, -1)));
    expect(recording.actions).toEqual([a, b]);
    expect(recording.truncated).toBe(false);
  });

  it('refuses a malformed line in the middle, naming its line number', async () => {
    const [a, b] = fixtureActions();
    const error = await failure(file(header, a, '{"type": "queues/sampled", "at": 1', b));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^line 3: not JSON/);
  });

  it('refuses a complete but malformed last line (a newline proves it was written whole)', async () => {
    const error = await failure(file(header, fixtureActions()[0], '{"type":'));
    expect(error.line).toBe(3);
  });

  it('refuses lines that are not actions: unknown type, no time, not an object', async () => {
    expect((await failure(file(header, { type: 'tasks/exploded', at: 1 }))).message).toBe(
      "line 2: unknown action type 'tasks/exploded'",
    );
    expect((await failure(file(header, { type: 'source/recovered', source: 'queues' }))).message).toBe(
      "line 2: action source/recovered without a time ('at')",
    );
    expect((await failure(file(header, [1, 2]))).message).toBe('line 2: not an action object');
    expect((await failure(file(header, ''))).message).toMatch(/^line 2: not JSON/);
  });

  it('refuses a file that is not a recording with one clear line', async () => {
    expect((await failure('')).message).toBe('empty file: not a qtop recording');
    expect((await failure(file({ schema: 'qtop/1', meta: {} }))).message).toBe(
      "schema 'qtop/1', expected 'qtop-record/1' (not a qtop recording, or a newer one)",
    );
    expect((await failure(file({ ...header, schema: 'qtop-record/2' }))).message).toMatch(
      /schema 'qtop-record\/2'/,
    );
    expect((await failure('hello\n')).message).toBe('line 1 is not JSON: not a qtop recording');
    expect((await failure(file({ ...header, model: { maxTasks: 5 } }))).message).toBe(
      'header: bad or missing model',
    );
  });

  it('checks every header field', () => {
    expect(parseHeader(JSON.stringify(header))).toEqual({ ok: true, value: header });
    const { startedAt: _s, broker: _b, ...partial } = header;
    expect(parseHeader(JSON.stringify({ ...partial, startedAt: 'yesterday' }))).toEqual({
      ok: false,
      reason: 'header: bad or missing broker, startedAt',
    });
  });
});
