import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../commands/cli/program.js';
import { controlActions } from '../../src/control/actions/index.js';
import { keymap } from '../../views/keys/keymap.js';

/**
 * Every control-action record is reachable the ways the design promises (docs/design.md): a key on
 * the screen unless it is CLI-only, a subcommand, a confirmation rule and a log label.
 */
const program = createProgram({
  stdout: new PassThrough(),
  stderr: new PassThrough(),
  env: {},
  setExitCode: () => {},
});
const subcommands = new Set(program.commands.map((c) => c.name()));

describe('control-action records', () => {
  for (const action of controlActions) {
    it(`${action.id}: key or CLI-only, subcommand, confirmation rule, log label`, () => {
      const keys = keymap.filter((b) => b.action === action);
      if (action.cliOnly) expect(keys).toEqual([]);
      else expect(keys.length, `${action.id} has no key and is not marked cliOnly`).toBeGreaterThan(0);
      expect(subcommands, `qtop has no subcommand '${action.cli}'`).toContain(action.cli.split(' ')[0]);
      expect(['none', 'dialog', 'typed-name', 'typed-count']).toContain(action.confirm);
      expect(action.log).toMatch(/^[a-z]/);
      for (const binding of keys) {
        expect(binding.write).toBe(action.writes);
        expect(binding.danger).toBe(action.confirm !== 'none');
      }
    });
  }

  it('every binding that starts an action names one of the records', () => {
    for (const binding of keymap.filter((b) => b.action)) expect(controlActions).toContain(binding.action);
  });
});
