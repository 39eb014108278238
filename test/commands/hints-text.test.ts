import { describe, expect, it } from 'vitest';
import { formatHintsText, safeLine } from '../../commands/hints/text.js';
import { selectHints } from '../../src/hints/select/select-hints.js';
import { addWorker, heartbeat, hintModel, runTask, sampleQueues, T0 } from '../hints/hint-model.js';

/** celery: 4-slot w1 drains 5/s of 0.8 s tasks; parked: 5 messages nobody consumes. */
function report(targetSec: number) {
  const model = hintModel();
  addWorker(model, T0, 'w1@h', { poolMax: 4, queues: ['celery'], busy: 4 });
  for (let t = 0; t <= 20; t += 1) sampleQueues(model, T0 + t * 1000, { celery: 200 - 3 * t, parked: 5 });
  for (let i = 0; i < 100; i += 1)
    runTask(model, T0 + 100 + i * 200, `t${i}`, { name: 'app.work', worker: 'w1@h', runtime: 0.8 });
  heartbeat(model, T0 + 20_000, 'w1@h', 4);
  return selectHints(model, T0 + 20_000, { targetSec });
}

describe('qtop hints text', () => {
  it('a table of forecasts, the change to make, the notes and the findings', () => {
    const text = formatHintsText(report(10), { collectedSec: 20, label: 'prod' });
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'qtop hints [prod]: ~20 s of data, drain target 10s, wait target 30s, visibility_timeout 1h',
    );
    expect(lines[2]).toMatch(
      /^QUEUE\s+READY\s+RSVD\s+λ\/s\s+μ\/SLOT\/s\s+SLOTS\s+UTIL\s+FORECAST\s+OLDEST\s+CONF$/,
    );
    expect(text).toMatch(/\ncelery\s+140\s+0\s+2\.00\s+1\.25\s+4\s+40%\s+clears in ~47 s\s+-\s+medium\n/);
    expect(text).toMatch(/\nparked\s+5\s+0\s+0\.00\s+-\s+0\s+-\s+stalled \(no consumer\)/);
    // ⌈(2 + 140/10)/1.25⌉ = ⌈12.8⌉ = 13 slots; 4 now → add 9.
    expect(text).toContain(
      'celery: add 9 slots (has 4; draining within 10s needs 13, a wait under 30s needs 2)',
    );
    expect(text).toContain(
      'qtop pool w1@h grow 9    (celery control pool_grow 9 -d w1@h; or restart it with --concurrency 13)',
    );
    expect(text).toContain('or run 3 more replicas like w1@h');
    expect(text).toContain('celery (medium): 20 s of data;');
    expect(text).toContain(
      'CRITICAL no-consumer: parked: 5 messages waiting and no worker consumes the queue',
    );
    expect(text).toContain('      fix: start a worker for it (celery -A proj worker -Q parked)');
  });

  it('nothing to change and nothing found says so', () => {
    const model = hintModel();
    const text = formatHintsText(selectHints(model, T0 + 1000), { collectedSec: 1, label: null });
    expect(text).toContain('No queues found.');
    expect(text).toContain('No findings.');
    expect(text).not.toContain('Changes');
  });

  it('names from Redis cannot redraw the terminal: controls and bidi marks become ?', () => {
    expect(safeLine('q\u001b[2J\nrm\u202eevil\u0085')).toBe('q?[2J?rm?evil?');
  });
});
