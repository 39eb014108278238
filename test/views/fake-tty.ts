import { EventEmitter } from 'node:events';

// Terminal streams for driving the real render entry (views/render.tsx) without a terminal:
// what Ink reads of stdout and stdin, and a record of what it wrote and set.

/** A terminal stdout that keeps every write. */
export class FakeTty extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  written: string[] = [];
  write = (text: string) => {
    this.written.push(text);
    return true;
  };
  text = () => this.written.join('');
  /** Everything written since `from` (an index into `written`). */
  since = (from: number) => this.written.slice(from).join('');
}

/** A terminal stdin: `send` delivers keys the way Ink reads them ('readable', then read()). */
export class FakeTtyIn extends EventEmitter {
  isTTY = true;
  rawModes: boolean[] = [];
  private data: string | null = null;
  send(data: string) {
    this.data = data;
    this.emit('readable');
  }
  read = () => {
    const data = this.data;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode(mode: boolean) {
    this.rawModes.push(mode);
  }
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}
