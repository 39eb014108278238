import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commandTree, completionScript } from '../../commands/cli/completion.js';
import { createProgram } from '../../commands/cli/program.js';
import type { CliIo } from '../../commands/shared/io.js';

// Completion scripts come from the commander program: every command and option shows up with no
// list to keep. The bash script is run in a real bash with the words a user would have typed.
function program() {
  const io: CliIo = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, setExitCode: () => {} };
  return createProgram(io);
}

function complete(...words: string[]): string[] {
  const script = `${completionScript(program(), 'bash')}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_qtop; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['--norc', '--noprofile', '-s'], { input: script, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
}

describe('qtop completion', () => {
  it('the tree holds every subcommand with its options', () => {
    const nodes = commandTree(program());
    const check = nodes.find((n) => n.path === 'check')!;
    expect(check.options.map((o) => o.flag)).toEqual(
      expect.arrayContaining(['--warn-backlog', '--queue-backlog', '--json']),
    );
    expect(nodes[0]!.subcommands.map((s) => s.name)).toEqual(
      expect.arrayContaining(['check', 'serve', 'config', 'hints', 'revoke']),
    );
  });

  it('bash completes subcommands, their options and the global ones after them', () => {
    expect(complete('qtop', 'ch')).toEqual(['check']);
    expect(complete('qtop', 'check', '--warn-b')).toEqual(['--warn-backlog']);
    expect(complete('qtop', '-b', 'redis://x', 'serve', '--met')).toEqual(['--metrics']);
    expect(complete('qtop', 'serve', '--prof')).toEqual(['--profile']);
    expect(complete('qtop', 'check', 'serve', '--met')).toEqual([]); // serve is not under check
  });

  it('zsh and fish scripts name every subcommand and option', () => {
    const zsh = completionScript(program(), 'zsh');
    expect(zsh).toMatch(/^#compdef qtop\n/);
    expect(zsh).toContain("'check') items=(");
    expect(zsh).toContain("'--warn-backlog:warning at ready messages in a queue, N'");
    const fish = completionScript(program(), 'fish');
    expect(fish).toContain("complete -c qtop -n '__fish_use_subcommand' -a 'serve' -d ");
    expect(fish).toContain("complete -c qtop -n '__fish_seen_subcommand_from check' -l warn-backlog -r -d ");
    expect(fish).toContain('complete -c qtop -l profile -r -d ');
  });
});
