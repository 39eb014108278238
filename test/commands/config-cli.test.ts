import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { createProgram } from '../../commands/cli/program.js';
import type { ConfigDocument } from '../../commands/config/config-show.js';
import type { CliIo } from '../../commands/shared/io.js';

// `qtop config` in-process: it never connects, so no Redis is needed.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-config-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const configFile = path.join(dir, 'config.toml');
fs.writeFileSync(
  configFile,
  '[profiles.prod]\nbroker_url = "redis://:hunter2@prod:6379/0"\nlabel = "prod"\nread_only = true\n',
);

async function qtop(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (d) => {
    stdout += d;
  });
  err.on('data', (d) => {
    stderr += d;
  });
  const io: CliIo = {
    stdout: out,
    stderr: err,
    env,
    setExitCode: (c) => {
      code = c;
    },
  };
  try {
    await createProgram(io).parseAsync(['node', 'qtop', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
  }
  return { code, stdout, stderr };
}

describe('qtop config', () => {
  it('shows each value with its source, masks the password; global flags work after the subcommand', async () => {
    const run = await qtop(['config', '--config', configFile, '--profile', 'prod', '--peek', '4'], {
      QTOP_TIMEOUT: '9',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('hunter2');
    expect(run.stdout).toMatch(/^config file: .*config\.toml; profile prod \(--profile\); profiles: prod\n/);
    expect(run.stdout).toMatch(/\nbroker_url\s+redis:\/\/:\*\*\*@prod:6379\/0\s+file:prod\n/);
    expect(run.stdout).toMatch(/\npeek\s+4\s+flag\n/);
    expect(run.stdout).toMatch(/\ntimeout\s+9\s+env:QTOP_TIMEOUT\n/);
    expect(run.stdout).toMatch(/\nread_only\s+true\s+file:prod\n/);
    expect(run.stdout).toMatch(/\nvisibility_timeout\s+3600\s+default\n/);
  });

  it('--json gives the same as a document', async () => {
    const run = await qtop(['--config', configFile, 'config', '--json'], { QTOP_PROFILE: 'prod' });
    const doc = JSON.parse(run.stdout) as ConfigDocument;
    expect(doc).toMatchObject({ profile: 'prod', profileChosenBy: 'QTOP_PROFILE', profiles: ['prod'] });
    expect(doc.settings.find((s) => s.key === 'label')).toEqual({
      key: 'label',
      value: 'prod',
      source: 'file:prod',
    });
    expect(JSON.stringify(doc)).not.toContain('hunter2');
  });

  it('a bad value is one line on stderr and exit 2, for config and for every other command', async () => {
    const bad = path.join(dir, 'bad.toml');
    fs.writeFileSync(bad, '[profiles.p]\npeek = -1\n');
    for (const args of [['config'], ['hints'], ['--json']]) {
      const run = await qtop([...args, '--config', bad]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`qtop: ${bad}: profiles.p.peek: must be a whole number >= 0, got -1\n`);
    }
  });
});
