import { PassThrough } from 'node:stream';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../commands/cli/program.js';
import type { CliIo } from '../../commands/shared/io.js';
import { readOnlyModeReason } from '../../src/control/controls.js';

/** Run the program in-process; nothing here may connect (URLs point at port 1). */
async function qtop(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
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
    env: {},
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

describe('control subcommands (in-process, no Redis)', () => {
  it('qtop --help lists them; each has examples and the exit codes', async () => {
    const top = await qtop(['--help']);
    for (const name of [
      'revoke',
      'retry',
      'purge',
      'pool',
      'autoscale',
      'rate-limit',
      'time-limit',
      'consumer',
    ]) {
      expect(top.stdout).toContain(`  ${name} `);
    }
    expect(top.stdout).toContain('qtop shutdown WORKER --confirm WORKER');
    const purge = await qtop(['purge', '--help']);
    expect(purge.stdout).toContain('qtop purge parked --confirm parked');
    expect(purge.stdout).toContain('6 not found');
  });

  it('--read-only refuses writes before connecting, in text and JSON', async () => {
    const text = await qtop(['-b', 'redis://127.0.0.1:1/0', '--read-only', 'events', 'on']);
    expect(text).toMatchObject({ code: 2, stdout: '' });
    expect(text.stderr).toBe(`qtop: refused: ${readOnlyModeReason}\n`);
    const json = await qtop(['revoke', 'x', '--read-only', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      schema: 'qtop-control/1',
      command: 'revoke',
      kind: 'refused',
      ok: false,
    });
  });

  it('bad arguments are usage errors (exit 2) before anything connects', async () => {
    expect((await qtop(['pool', 'w1', 'grow', 'two'])).stderr).toContain(
      "N must be a whole number >= 1, got 'two'",
    );
    expect((await qtop(['pool', 'w1', 'sideways', '1'])).code).toBe(2);
    expect((await qtop(['retry'])).stderr).toContain('give task ids, or --failed NAME');
    expect((await qtop(['retry', 'a', '--failed', 'app.add'])).code).toBe(2);
    expect((await qtop(['message', 'move', 'q', 'id'])).stderr).toContain('move needs --to QUEUE');
    expect((await qtop(['time-limit', 'app.add', 'soon', '5'])).code).toBe(2);
    expect((await qtop(['queue', 'pause', 'q', '-w', 'w1'])).stderr).toContain('drop --worker');
  });

  it('a broker that cannot be reached is exit 3', async () => {
    const result = await qtop(['-b', 'redis://127.0.0.1:1/0', '--timeout', '1', 'ping']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^qtop: cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0/);
  });
});
