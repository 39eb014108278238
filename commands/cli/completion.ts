/**
 * `qtop completion bash|zsh|fish`: shell completion generated from the commander program itself
 * (subcommands, their options, and the global options), so there is no hand-kept list to forget
 * when a command is added. Each script completes subcommand names by position and the options
 * of the innermost subcommand typed so far, plus the global options, which work anywhere.
 */
import type { Command, Option } from 'commander';
import { exitCodes } from '../../src/base/exit-codes.js';
import type { CliIo } from '../shared/io.js';

/** One command of the tree: its path from the root (`queue pause`), subcommands and options. */
interface Node {
  path: string;
  description: string;
  subcommands: Array<{ name: string; description: string }>;
  options: Array<{ flag: string; description: string; takesValue: boolean }>;
}

export type Shell = 'bash' | 'zsh' | 'fish';

function optionsOf(command: Command): Node['options'] {
  return command.options
    .filter((o: Option) => !o.hidden && o.long)
    .map((o: Option) => ({
      flag: o.long!,
      description: o.description,
      takesValue: o.required || o.optional,
    }));
}

/** Every command reachable from `root`, depth first; the root has path ''. */
export function commandTree(root: Command, prefix = ''): Node[] {
  const subs = root.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
  const node: Node = {
    path: prefix,
    description: root.description(),
    subcommands: subs.map((c) => ({ name: c.name(), description: c.description() })),
    // commander adds --help itself, outside `options`.
    options: [...optionsOf(root), { flag: '--help', description: 'show help', takesValue: false }],
  };
  return [node, ...subs.flatMap((c) => commandTree(c, prefix ? `${prefix} ${c.name()}` : c.name()))];
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * bash (and zsh through bashcompinit would work too, but zsh gets its own): walk the words typed
 * so far, extending the command path while a word names a subcommand, then offer that command's
 * subcommands and options with the global ones.
 */
function bash(nodes: Node[]): string {
  const globals = nodes[0]!.options
    .filter((o) => o.flag !== '--help')
    .map((o) => o.flag)
    .join(' ');
  const cases = nodes
    .map(
      (n) =>
        `    ${quote(n.path)}) words=${quote([...n.subcommands.map((s) => s.name), ...n.options.map((o) => o.flag)].join(' '))} ;;`,
    )
    .join('\n');
  const paths = nodes.map((n) => n.path).filter(Boolean);
  return `# qtop completion for bash: eval "$(qtop completion bash)"
_qtop() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" qpath="" w i words
  local paths=${quote(`|${paths.join('|')}|`)}
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ $w == -* ]] && continue
    if [[ $paths == *"|\${qpath:+$qpath }$w|"* ]]; then qpath="\${qpath:+$qpath }$w"; fi
  done
  case "$qpath" in
${cases}
  esac
  [[ -n $qpath ]] && words+=" ${globals}"
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _qtop qtop
`;
}

function zsh(nodes: Node[]): string {
  const entry = (name: string, description: string) => quote(`${name.replace(/:/g, '\\:')}:${description}`);
  const cases = nodes
    .map((n) => {
      const items = [
        ...n.subcommands.map((s) => entry(s.name, s.description)),
        ...n.options.map((o) => entry(o.flag, o.description)),
      ];
      return `    ${quote(n.path)}) items=(${items.join(' ')}) ;;`;
    })
    .join('\n');
  const globals = nodes[0]!.options
    .filter((o) => o.flag !== '--help')
    .map((o) => entry(o.flag, o.description))
    .join(' ');
  const paths = nodes.map((n) => n.path).filter(Boolean);
  return `#compdef qtop
# qtop completion for zsh: qtop completion zsh > "\${fpath[1]}/_qtop" (or eval "$(qtop completion zsh)")
_qtop() {
  local qpath="" w i
  local -a items
  local paths=${quote(`|${paths.join('|')}|`)}
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    [[ $w == -* ]] && continue
    if [[ $paths == *"|\${qpath:+$qpath }$w|"* ]]; then qpath="\${qpath:+$qpath }$w"; fi
  done
  case "$qpath" in
${cases}
  esac
  [[ -n $qpath ]] && items+=(${globals})
  _describe -t qtop 'qtop' items
}
compdef _qtop qtop
`;
}

function fish(nodes: Node[]): string {
  const lines = [
    '# qtop completion for fish: qtop completion fish > ~/.config/fish/completions/qtop.fish',
    'complete -c qtop -f',
  ];
  for (const n of nodes) {
    // fish's own helper knows subcommand positions only one level deep, so nested paths test every word.
    const condition =
      n.path === '' ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${n.path.split(' ').at(-1)}`;
    for (const s of n.subcommands)
      lines.push(`complete -c qtop -n ${quote(condition)} -a ${quote(s.name)} -d ${quote(s.description)}`);
    for (const o of n.options) {
      const scope = n.path === '' ? '' : ` -n ${quote(condition)}`;
      lines.push(
        `complete -c qtop${scope} -l ${o.flag.slice(2)}${o.takesValue ? ' -r' : ''} -d ${quote(o.description)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The completion script for `shell`, from the program `root`. */
export function completionScript(root: Command, shell: Shell): string {
  const nodes = commandTree(root);
  return shell === 'bash' ? bash(nodes) : shell === 'zsh' ? zsh(nodes) : fish(nodes);
}

/** Add `qtop completion SHELL` to `program`. */
export function registerCompletionCommand(program: Command, io: CliIo): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish), generated from the commands')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      `
Examples:
  eval "$(qtop completion bash)"                     # in ~/.bashrc
  qtop completion zsh > "\${fpath[1]}/_qtop"          # then restart zsh
  qtop completion fish > ~/.config/fish/completions/qtop.fish`,
    )
    .action((shell: string) => {
      if (shell !== 'bash' && shell !== 'zsh' && shell !== 'fish') {
        io.stderr.write(`qtop: completion supports bash, zsh and fish, got '${shell}'\n`);
        io.setExitCode(exitCodes.usage);
        return;
      }
      io.stdout.write(completionScript(program, shell));
      io.setExitCode(exitCodes.ok);
    });
}
