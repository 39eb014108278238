import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../commands/config/config.js';
import { configPath } from '../../commands/config/config-file.js';
import { layerValues, loadFileLayer, withPassword } from '../../commands/config/profiles.js';
import { UsageError } from '../../commands/shared/usage-error.js';

// Precedence flag > env > file:profile > default, profile choice, secrets and the one-line errors.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Write a config file and return the environment pointing at it (through XDG_CONFIG_HOME). */
function withFile(text: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = path.join(dir, `x${n++}`);
  fs.mkdirSync(path.join(home, 'qtop'), { recursive: true });
  fs.writeFileSync(path.join(home, 'qtop', 'config.toml'), text);
  return { XDG_CONFIG_HOME: home, ...extra };
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

const file = `
default_profile = "staging"
[profiles.staging]
broker_url = "redis://staging:6379/1"
visibility_timeout = "2h"
label = "staging"
[profiles.prod]
broker_url = "redis://prod:6379/0"
global_keyprefix = "app:"
priority_steps = [0, 5, 9]
read_only = true
max_tasks = 500
queue_interval = 2.5
`;

describe('config file location', () => {
  it('--config, then QTOP_CONFIG, then XDG_CONFIG_HOME, then HOME/.config; nothing without either', () => {
    expect(configPath('/a.toml', { QTOP_CONFIG: '/b.toml' })).toEqual({ path: '/a.toml', named: true });
    expect(configPath(undefined, { QTOP_CONFIG: '/b.toml' })).toEqual({ path: '/b.toml', named: true });
    expect(configPath(undefined, { XDG_CONFIG_HOME: '/x', HOME: '/h' }).path).toBe('/x/qtop/config.toml');
    expect(configPath(undefined, { HOME: '/h' }).path).toBe('/h/.config/qtop/config.toml');
    expect(configPath(undefined, {}).path).toBeNull();
  });
});

describe('precedence', () => {
  it('without a file, resolveConfig(flags, env) behaves as before', () => {
    const config = resolveConfig({}, { HOME: path.join(dir, 'nobody') });
    expect(config.brokerUrl).toBe('redis://localhost:6379/0');
    expect(config.wire.visibilityTimeout).toBe(3600);
  });

  it('flag beats environment beats the profile beats the default, and says which', () => {
    const env = withFile(file, { QTOP_VISIBILITY_TIMEOUT: '90' });
    const layer = loadFileLayer({}, env);
    expect(layer.profile?.name).toBe('staging');
    expect(layer.chosenBy).toBe('default_profile');
    const { values, sources } = layerValues({ label: 'mine' }, env, layer);
    expect(values).toMatchObject({
      broker: 'redis://staging:6379/1',
      visibilityTimeout: '90',
      label: 'mine',
    });
    expect(sources).toMatchObject({
      broker: 'file:staging',
      visibilityTimeout: 'env:QTOP_VISIBILITY_TIMEOUT',
      label: 'flag',
      peek: 'default',
    });
    const config = resolveConfig(
      { broker: 'redis://flag:1/0' },
      { ...env, CELERY_BROKER_URL: 'redis://env:2/0' },
    );
    expect(config.brokerUrl).toBe('redis://flag:1/0');
    expect(resolveConfig({}, { ...env, CELERY_BROKER_URL: 'redis://env:2/0' }).brokerUrl).toBe(
      'redis://env:2/0',
    );
  });

  it('a profile sets kombu options, caps, cadences and read_only; durations become seconds', () => {
    const env = withFile(file);
    const prod = resolveConfig({ profile: 'prod' }, env);
    expect(prod.wire).toMatchObject({ globalKeyprefix: 'app:', prioritySteps: [0, 5, 9] });
    expect(prod).toMatchObject({ readOnly: true, model: { maxTasks: 500 }, cadence: { queues: 2500 } });
    expect(resolveConfig({}, env).wire.visibilityTimeout).toBe(7200);
  });

  it('the profile: --profile, QTOP_PROFILE, default_profile, else one named default', () => {
    const env = withFile(file, { QTOP_PROFILE: 'prod' });
    expect(loadFileLayer({}, env).chosenBy).toBe('QTOP_PROFILE');
    expect(loadFileLayer({ profile: 'staging' }, env).profile?.name).toBe('staging');
    const plain = withFile('[profiles.default]\nlabel = "d"\n[profiles.other]\nlabel = "o"\n');
    expect(resolveConfig({}, plain).label).toBe('d');
    const none = withFile('[profiles.a]\nlabel = "a"\n');
    expect(resolveConfig({}, none).label).toBeNull();
  });

  it('a secret from an environment variable or a file goes into the URL, which is then masked', () => {
    fs.writeFileSync(path.join(dir, 'pw.txt'), 'p@ss/word\n');
    const env = withFile(
      `[profiles.a]\nbroker_url = "redis://r:6379/0"\npassword_env = "RPW"\n` +
        `[profiles.b]\nbroker_url = "redis://r:6379/0"\npassword_file = "${path.join(dir, 'pw.txt')}"\n`,
      { RPW: 'from-env' },
    );
    expect(resolveConfig({ profile: 'a' }, env).brokerUrl).toBe('redis://r:6379/0?password=from-env');
    expect(resolveConfig({ profile: 'b' }, env).brokerUrl).toBe('redis://r:6379/0?password=p%40ss%2Fword');
    // A URL that carries its own password keeps it.
    expect(withPassword('redis://:own@r:6379/0', 'x')).toBe('redis://:own@r:6379/0');
    expect(withPassword('redis://r/0?ssl_cert_reqs=none', 'x')).toBe(
      'redis://r/0?ssl_cert_reqs=none&password=x',
    );
  });
});

describe('one-line errors naming the file, the key and the reason', () => {
  it('a bad value, an unknown key, broken TOML, a missing profile, a missing secret', () => {
    const bad = withFile('[profiles.p]\nvisibility_timeout = "soon"\n');
    const where = path.join(bad.XDG_CONFIG_HOME!, 'qtop', 'config.toml');
    expect(errorOf(() => resolveConfig({}, { ...bad, QTOP_PROFILE: 'p' }))).toBe(
      `${where}: profiles.p.visibility_timeout: must be a number of seconds >= 1 (or a duration like 30s, 5m), got 'soon'`,
    );
    expect(errorOf(() => loadFileLayer({}, withFile('[profiles.p]\nbrokr = "x"\n')))).toMatch(
      /config\.toml: profiles\.p\.brokr: unknown key \(known: broker_url, /,
    );
    expect(errorOf(() => loadFileLayer({}, withFile('[profiles.p]\nlabel = = 1\n')))).toMatch(
      /config\.toml:2:9: invalid TOML: /,
    );
    expect(errorOf(() => loadFileLayer({ profile: 'nope' }, withFile(file)))).toMatch(
      /config\.toml: no \[profiles\.nope\] table for --profile \(profiles: staging, prod\)$/,
    );
    expect(errorOf(() => loadFileLayer({}, withFile('default_profile = "x"\n')))).toMatch(
      /config\.toml: default_profile: no \[profiles\.x\] table$/,
    );
    expect(
      errorOf(() =>
        loadFileLayer({}, withFile('[profiles.p]\npassword_env = "UNSET_PW"\n', { QTOP_PROFILE: 'p' })),
      ),
    ).toMatch(/profiles\.p\.password_env: environment variable UNSET_PW is not set$/);
    expect(
      errorOf(() =>
        loadFileLayer({}, withFile('[profiles.p]\npassword_file = "missing.txt"\n', { QTOP_PROFILE: 'p' })),
      ),
    ).toMatch(/profiles\.p\.password_file: cannot read .*missing\.txt \(ENOENT\)$/);
  });

  it('a named file that is missing, a profile without a file, and a bad environment value', () => {
    expect(errorOf(() => loadFileLayer({ config: path.join(dir, 'none.toml') }, {}))).toMatch(
      /none\.toml: cannot read the config file \(ENOENT\)$/,
    );
    expect(errorOf(() => loadFileLayer({ profile: 'prod' }, {}))).toBe(
      "profile 'prod' (--profile): no config file at ~/.config/qtop/config.toml",
    );
    expect(errorOf(() => resolveConfig({}, { QTOP_MAX_TASKS: 'lots' }))).toBe(
      "QTOP_MAX_TASKS: must be a whole number >= 10, got 'lots'",
    );
    expect(errorOf(() => resolveConfig({}, { QTOP_READ_ONLY: 'maybe' }))).toBe(
      "QTOP_READ_ONLY: must be true or false, got 'maybe'",
    );
  });
});
