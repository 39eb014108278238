import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../commands/config/config.js';
import { UsageError } from '../../commands/shared/usage-error.js';

const noFile = {
  file: null,
  profile: null,
  chosenBy: null,
  values: {},
  secrets: { broker: null, backend: null },
};

// RedBeat's own settings name where qtop reads the schedule and the lock: redbeat_key_prefix and
// redbeat_lock_key (RedBeat prefixes a lock name that lacks the prefix; None means no lock).
describe('RedBeat key prefix and lock key', () => {
  it("defaults are RedBeat's", () => {
    const c = resolveConfig({}, {}, noFile);
    expect(c.beat).toMatchObject({ prefix: 'redbeat:', lockKey: 'redbeat::lock' });
  });

  it('the prefix moves the lock with it unless a lock key is given', () => {
    expect(resolveConfig({ redbeatPrefix: 'shop:beat:' }, {}, noFile).beat).toMatchObject({
      prefix: 'shop:beat:',
      lockKey: 'shop:beat::lock',
    });
    const named = resolveConfig({ redbeatPrefix: 'shop:', redbeatLockKey: 'beatlock' }, {}, noFile);
    expect(named.beat.lockKey).toBe('shop:beatlock');
    const full = resolveConfig({ redbeatPrefix: 'shop:', redbeatLockKey: 'shop:my-lock' }, {}, noFile);
    expect(full.beat.lockKey).toBe('shop:my-lock');
  });

  it("'none' turns the lock check off; the environment sets both", () => {
    const env = resolveConfig({}, { QTOP_REDBEAT_KEY_PREFIX: 'x:', QTOP_REDBEAT_LOCK_KEY: 'None' }, noFile);
    expect(env.beat).toMatchObject({ prefix: 'x:', lockKey: null });
  });

  it('an empty prefix is a usage error naming the flag', () => {
    expect(() => resolveConfig({ redbeatPrefix: '' }, {}, noFile)).toThrow(UsageError);
    expect(() => resolveConfig({ redbeatPrefix: '' }, {}, noFile)).toThrow(/--redbeat-prefix/);
  });
});
