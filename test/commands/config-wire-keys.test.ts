import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../commands/config/config.js';
import { unackedIndexKey, unackedKey } from '../../src/celery/names.js';

const noFile = {
  file: null,
  profile: null,
  chosenBy: null,
  values: {},
  secrets: { broker: null, backend: null },
};

// --sep is public, and the unacked key names follow kombu's transport options (unacked_key,
// unacked_index_key), from flags, environment or a profile.
describe('sep and unacked key names', () => {
  it('flags set sep and the unacked keys (prefixed like every key)', () => {
    const c = resolveConfig(
      { sep: ':', unackedKey: 'my_unacked', unackedIndexKey: 'my_index', keyprefix: 'p:' },
      {},
      noFile,
    );
    expect(c.wire.sep).toBe(':');
    expect(unackedKey(c.wire)).toBe('p:my_unacked');
    expect(unackedIndexKey(c.wire)).toBe('p:my_index');
  });

  it("the environment sets them too; defaults are kombu's", () => {
    const env = resolveConfig({}, { QTOP_UNACKED_KEY: 'u2', QTOP_SEP: ':' }, noFile);
    expect(env.wire.unackedKey).toBe('u2');
    expect(env.wire.sep).toBe(':');
    const plain = resolveConfig({}, {}, noFile);
    expect([plain.wire.unackedKey, plain.wire.unackedIndexKey, plain.wire.sep]).toEqual([
      'unacked',
      'unacked_index',
      '\x06\x16',
    ]);
  });
});
