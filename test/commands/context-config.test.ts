import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contextConfig, profileNames, startContext } from '../../commands/config/context-config.js';
import { secretsOf } from '../../commands/live/tui-session.js';
import { UsageError } from '../../commands/shared/usage-error.js';

// Which settings a `:ctx NAME` switch takes from the profile and which stay with the run.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-ctx-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Write a config file and return the environment pointing at it (through XDG_CONFIG_HOME). */
function withFile(text: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = path.join(dir, `x${n++}`);
  fs.mkdirSync(path.join(home, 'qtop'), { recursive: true });
  fs.writeFileSync(path.join(home, 'qtop', 'config.toml'), text);
  return { XDG_CONFIG_HOME: home, ...extra };
}

const file = `
default_profile = "staging"
[profiles.staging]
broker_url = "redis://staging:6379/1"
label = "staging"
[profiles.prod]
broker_url = "redis://prod:6379/0"
password_env = "PROD_PW"
global_keyprefix = "app:"
queue_interval = 2.5
`;

describe('profileNames', () => {
  it('lists the profiles in file order', () => {
    expect(profileNames({}, withFile(file))).toEqual({ names: ['staging', 'prod'], error: null });
  });

  it('says why there are none: no file, or a bad one (one line naming the file)', () => {
    const none = profileNames({}, { XDG_CONFIG_HOME: path.join(dir, 'empty') });
    expect(none.names).toEqual([]);
    expect(none.error).toMatch(/^no config file at .*empty\/qtop\/config\.toml$/);
    const bad = profileNames({}, withFile('[profiles.x]\nbroker = 1\n'));
    expect(bad.error).toContain('profiles.x.broker: unknown key');
  });
});

describe('contextConfig', () => {
  it('takes the cluster from the profile, not from -b, --label or CELERY_BROKER_URL', () => {
    const env = withFile(file, {
      CELERY_BROKER_URL: 'redis://env:6379/0',
      QTOP_KEYPREFIX: 'x:',
      PROD_PW: 'pw',
    });
    const flags = { broker: 'redis://flag:6379/0', label: 'FLAG', keyprefix: 'flag:', profile: 'staging' };
    const config = contextConfig('prod', flags, env);
    expect(config.brokerUrl).toBe('redis://prod:6379/0?password=pw');
    expect(config.wire.globalKeyprefix).toBe('app:');
    expect(config.label).toBeNull();
    expect(secretsOf(config)).toContain('pw');
  });

  it('keeps the run-wide choices: --read-only, --hide-args and flag cadences win as at start-up', () => {
    const env = withFile(file, { PROD_PW: 'pw' });
    const config = contextConfig('prod', { readOnly: true, hideArgs: true, timeout: '2' }, env);
    expect(config.readOnly).toBe(true);
    expect(config.hideArgs).toBe(true);
    expect(config.timeoutMs).toBe(2_000);
    expect(config.cadence.queues).toBe(2_500); // no flag: the profile's
    expect(contextConfig('staging', {}, env).readOnly).toBe(false);
  });

  it('an unknown profile is a one-line error naming the known ones', () => {
    expect(() => contextConfig('nosuch', {}, withFile(file))).toThrowError(
      new UsageError("no profile 'nosuch' (profiles: staging, prod)"),
    );
  });

  it('a profile whose password variable is unset is an error, before any connection', () => {
    expect(() => contextConfig('prod', {}, withFile(file))).toThrowError(/PROD_PW is not set/);
  });
});

describe('startContext', () => {
  it('is the chosen profile when it named the broker', () => {
    const env = withFile(file);
    expect(startContext({}, env)).toBe('staging');
    expect(startContext({ profile: 'prod' }, { ...env, PROD_PW: 'x' })).toBe('prod');
  });

  it('is none when a flag or the environment named the broker instead', () => {
    const env = withFile(file);
    expect(startContext({ broker: 'redis://other:6379/0' }, env)).toBeNull();
    expect(startContext({}, { ...env, CELERY_BROKER_URL: 'redis://other:6379/0' })).toBeNull();
    expect(startContext({}, { XDG_CONFIG_HOME: path.join(dir, 'empty') })).toBeNull();
  });
});
