/**
 * Shared shape of the detail views (task, worker, queue): a list of display lines, some of
 * them links to another task, worker or queue that Enter follows. Lines are built by pure
 * functions at a given width (long text is wrapped, not cut: a traceback's last line is the
 * one that matters), and the LineList widget scrolls them.
 */
import { sanitize } from '../../src/output/sanitize.js';
import { wrap } from './text-width.js';
import type { Tone } from './theme.js';

/** Where Enter on a detail line goes. */
export type Link =
  | { kind: 'task'; id: string }
  | { kind: 'worker'; hostname: string }
  | { kind: 'queue'; name: string };

/** One display line of a detail view (qtop's own text, or sanitized cluster text). */
export interface Line {
  text: string;
  tone?: Tone;
  /** Section titles are drawn bold. */
  heading?: boolean;
  link?: Link;
  /** A message waiting in the queue of the view: what delete and move act on. */
  message?: QueuedMessage;
  /** A workflow tree's node: what Space folds. */
  node?: string;
}

/** A waiting message a line shows, by task id (the control layer finds its exact element). */
export interface QueuedMessage {
  id: string;
  name: string | null;
}

/** Builds lines: labelled fields, sections, wrapped blocks of cluster text. */
export class LineBuilder {
  readonly lines: Line[] = [];
  constructor(private readonly width: number) {}

  /** A `label  value` line; the value is sanitized. */
  field(label: string, value: string | null, tone?: Tone, link?: Link): this {
    const text = `${label.padEnd(10)} ${value === null ? '-' : sanitize(value)}`;
    this.lines.push({ text, ...(tone ? { tone } : {}), ...(link ? { link } : {}) });
    return this;
  }

  /** A blank line, then a section title. */
  section(title: string): this {
    if (this.lines.length > 0) this.lines.push({ text: '' });
    this.lines.push({ text: title, heading: true });
    return this;
  }

  /** Cluster text (JSON, repr, traceback) sanitized, newlines kept, wrapped to the width. */
  block(text: string, tone?: Tone): this {
    const body = sanitize(text, { newlines: true }).replace(/\s+$/, '');
    for (const line of wrap(body, Math.max(10, this.width - 4))) {
      this.lines.push({ text: `  ${line}`, ...(tone ? { tone } : {}) });
    }
    return this;
  }

  /** A plain line of qtop's own text. */
  note(text: string, tone: Tone = 'dim'): this {
    this.lines.push({ text, tone });
    return this;
  }

  /** A line that Enter follows. */
  link(text: string, link: Link): this {
    this.lines.push({ text: sanitize(text), tone: 'active', link });
    return this;
  }

  /** A waiting message: Enter opens its task, delete and move act on it. */
  message(text: string, message: QueuedMessage): this {
    this.lines.push({
      text: sanitize(text),
      tone: 'active',
      link: { kind: 'task', id: message.id },
      message,
    });
    return this;
  }
}
