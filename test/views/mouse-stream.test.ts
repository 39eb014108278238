import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { holdMs, MouseFilterStream } from '../../views/input/mouse-stream.js';
import type { MouseEvent } from '../../views/input/sgr-mouse.js';

/** A terminal stdin read the way Ink reads one: 'readable', then read() until null. */
class Terminal extends EventEmitter {
  isTTY = true;
  rawModes: boolean[] = [];
  refs: string[] = [];
  private chunks: (string | Buffer)[] = [];
  send(...chunks: (string | Buffer)[]) {
    this.chunks.push(...chunks);
    this.emit('readable');
  }
  read() {
    return this.chunks.shift() ?? null;
  }
  setRawMode(mode: boolean) {
    this.rawModes.push(mode);
  }
  ref() {
    this.refs.push('ref');
  }
  unref() {
    this.refs.push('unref');
  }
}

/** The filter as Ink uses it: raw mode on, every 'readable' drained into `typed`. */
function open() {
  const terminal = new Terminal();
  const events: MouseEvent[] = [];
  const stream = new MouseFilterStream(terminal, (e) => events.push(e));
  const reads: string[] = [];
  stream.on('readable', () => {
    for (let text = stream.read(); text !== null; text = stream.read()) reads.push(text);
  });
  stream.setRawMode(true);
  return { terminal, stream, events, reads, typed: () => reads.join('') };
}

afterEach(() => vi.useRealTimers());

describe('the stdin filter in front of Ink', () => {
  it('passes keys through and takes a click out, in one read', () => {
    const { terminal, events, typed } = open();
    terminal.send('j\u001b[<0;12;7Mk\u001b[<0;12;7m\u001b[A');
    expect(typed()).toBe('jk\u001b[A');
    expect(events).toEqual([
      { kind: 'press', button: 0, x: 11, y: 6 },
      { kind: 'release', button: 0, x: 11, y: 6 },
    ]);
  });

  it('joins a report split across reads at any byte after ESC [ <, typing nothing of it', () => {
    const whole = '\u001b[<65;80;24M';
    for (let cut = 3; cut < whole.length; cut++) {
      const { terminal, events, typed } = open();
      terminal.send(`x${whole.slice(0, cut)}`);
      terminal.send(`${whole.slice(cut)}y`);
      expect(typed(), `cut at ${cut}`).toBe('xy');
      expect(events).toEqual([{ kind: 'wheel-down', button: null, x: 79, y: 23 }]);
    }
  });

  it('joins a report cut inside a UTF-8 character stream (Buffers) and keeps the characters whole', () => {
    const { terminal, events, typed } = open();
    const bytes = Buffer.from('é\u001b[<0;1;1Mü');
    terminal.send(bytes.subarray(0, 1), bytes.subarray(1, 6), bytes.subarray(6));
    expect(typed()).toBe('éü');
    expect(events).toHaveLength(1);
  });

  it('drops a malformed report whole: no event, and none of its digits typed', () => {
    const { terminal, events, typed } = open();
    terminal.send('a\u001b[<0;;3Mb\u001b[<1;2;3;4mc');
    expect(typed()).toBe('abc');
    expect(events).toEqual([]);
  });

  it('gives a lone Esc to Ink at once (Ink waits for the rest of an escape sequence itself)', () => {
    const { terminal, typed } = open();
    terminal.send('\u001b');
    expect(typed()).toBe('\u001b');
    terminal.send('\u001b[');
    expect(typed()).toBe('\u001b\u001b[');
  });

  it('types a report start that never completes once it has waited holdMs', () => {
    vi.useFakeTimers();
    const { terminal, events, typed } = open();
    terminal.send('\u001b[<1');
    expect(typed()).toBe('');
    vi.advanceTimersByTime(holdMs - 1);
    expect(typed()).toBe('');
    vi.advanceTimersByTime(1);
    expect(typed()).toBe('\u001b[<1');
    expect(events).toEqual([]);
  });

  it('passes raw mode and ref/unref to the terminal and stops reading without raw mode', () => {
    const { terminal, stream, typed } = open();
    stream.ref();
    stream.setRawMode(false);
    stream.unref();
    expect(terminal.rawModes).toEqual([true, false]);
    expect(terminal.refs).toEqual(['ref', 'unref']);
    terminal.send('q');
    expect(typed()).toBe('');
    expect(terminal.listenerCount('readable')).toBe(0);
  });
});
