import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// Install as users do: `npm pack` the built repo, `npm install -g` the tarball into a private
// prefix, and run the `qtop` the package's `bin` put on that prefix's PATH.
const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-install-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm pack + npm install -g', () => {
  it('installs a working qtop with only what runs in the tarball', { timeout: 240_000 }, async () => {
    const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' };
    const pack = await run('npm', ['pack', '--json', '--pack-destination', dir], { env: npmEnv });
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = info!.files.map((f) => f.path);
    expect(files).toContain('dist/commands/main.js');
    expect(files).toContain('package.json');
    // Nothing that does not run: no sources, tests, benches or fixtures.
    expect(
      files.filter(
        (f) => !/^(dist\/(src|commands|views)\/.*\.js|schema\/.*\.json|README\.md|package\.json)$/.test(f),
      ),
    ).toEqual([]);
    const prefix = path.join(dir, 'prefix');
    await run(
      'npm',
      ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', path.join(dir, info!.filename)],
      {
        env: npmEnv,
        timeout: 200_000,
      },
    );
    const bin = path.join(prefix, 'bin', 'qtop');
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    const version = await run(bin, ['--version'], {
      env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` },
    });
    expect(version.stdout.trim()).toBe(pkg.version);
    const completion = await run(bin, ['completion', 'bash']);
    expect(completion.stdout).toContain('complete -F _qtop qtop');
  });
});
