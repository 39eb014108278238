import { describe, expect, it } from 'vitest';
import { eventGapReason } from '../../src/sources/pubsub-cutoff.js';

const from = Date.UTC(2026, 10, 24, 12, 0, 0);
const to = from + 2_345;

describe('eventGapReason', () => {
  it('says when events were lost, for how long, and why', () => {
    const span = 'events lost between 2026-11-24T12:00:00.000Z and 2026-11-24T12:00:02.345Z (2.3 s)';
    expect(eventGapReason(from, to, 'cut-off')).toBe(
      `${span}: Redis cut the subscriber off for falling behind (client-output-buffer-limit pubsub); ` +
        'raise that limit or give qtop more CPU',
    );
    expect(eventGapReason(from, to, 'closed')).toMatch(
      /^events lost between .*: Redis closed only the subscriber while the server stayed up: most likely it cut qtop off for falling behind \(client-output-buffer-limit pubsub\), else someone ran CLIENT KILL$/,
    );
    expect(eventGapReason(from, to, 'closed-not-limit')).toContain('not for its buffer limit');
    expect(eventGapReason(from, to, 'restarted')).toBe(
      `${span}: Redis restarted or another server took over (a new run_id)`,
    );
    expect(eventGapReason(from, to, 'unknown')).toBe(
      `${span} (subscriber disconnected; if this repeats, Redis cut qtop off for falling behind: client-output-buffer-limit pubsub)`,
    );
  });
});
