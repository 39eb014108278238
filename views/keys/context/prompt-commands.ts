/**
 * The `:` command prompt, k9s style: `:queues`, `:workers`, `:tasks state:FAILURE`, `:task ID`,
 * `:worker NAME`, `:queue NAME`, `:runtimes`, `:failures`, `:log`, `:hints`, `:help`, `:pause`,
 * `:ctx [NAME]`, `:q`. Parsing is pure; the key router carries the intent out.
 */
import { type PanelId, panelIds } from '../../state/ui-state.js';

/** What a prompt line asks for. */
export type PromptIntent =
  | { kind: 'panel'; panel: PanelId }
  | { kind: 'filter'; text: string }
  | { kind: 'task'; id: string }
  | { kind: 'worker'; hostname: string }
  | { kind: 'queue'; name: string }
  | { kind: 'help' }
  | { kind: 'pause' }
  /** `:ctx NAME`: switch to the config profile NAME (views/context-switch.ts). */
  | { kind: 'context'; name: string }
  /** `:ctx` alone: list the profiles. */
  | { kind: 'contexts' }
  /** `:all`: every profile at once, one row each. */
  | { kind: 'all' }
  | { kind: 'quit' }
  | { kind: 'error'; message: string };

const panelAliases: Record<string, PanelId> = {
  overview: 'overview',
  ov: 'overview',
  queues: 'queues',
  qu: 'queues',
  workers: 'workers',
  wo: 'workers',
  tasks: 'tasks',
  t: 'tasks',
  runtimes: 'runtimes',
  rt: 'runtimes',
  names: 'runtimes',
  failures: 'failures',
  fail: 'failures',
  f: 'failures',
  log: 'log',
  l: 'log',
  hints: 'hints',
};

/** Every alias, for the help overlay and the "unknown command" message. */
export const promptCommands = [
  ':overview',
  ':queues [NAME]',
  ':workers [NAME]',
  ':tasks [FILTER]',
  ':task ID',
  ':runtimes',
  ':failures',
  ':log',
  ':hints',
  ':help',
  ':pause',
  ':ctx [PROFILE]',
  ':all',
  ':q',
];

/**
 * `promptCommands` for the help overlay, whole commands per line of at most `width` columns:
 * cut at 80 columns as one line, the last ones (`:ctx`, `:q`) were never seen.
 */
export function promptCommandLines(width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const command of promptCommands) {
    if (line !== '' && line.length + 2 + command.length > width) {
      lines.push(line);
      line = command;
    } else line = line === '' ? command : `${line}  ${command}`;
  }
  lines.push(line);
  return lines;
}

/** The intent of a prompt line (without the leading ':'). */
export function parsePrompt(line: string): PromptIntent {
  const [word = '', ...rest] = line.trim().split(/\s+/);
  const arg = rest.join(' ');
  const command = word.toLowerCase();
  if (command === '') return { kind: 'error', message: 'empty command' };
  if (['q', 'quit', 'exit', 'q!'].includes(command)) return { kind: 'quit' };
  if (['help', 'h', '?'].includes(command)) return { kind: 'help' };
  if (['pause', 'resume'].includes(command)) return { kind: 'pause' };
  // k9s's word for a cluster is `:ctx`; the long forms are what newcomers type first.
  if (command === 'all') return { kind: 'all' };
  if (['ctx', 'context', 'contexts'].includes(command))
    return arg ? { kind: 'context', name: arg } : { kind: 'contexts' };
  if (command === 'task') return arg ? { kind: 'task', id: arg } : { kind: 'panel', panel: 'tasks' };
  if ((command === 'queue' || command === 'queues') && arg) return { kind: 'queue', name: arg };
  if ((command === 'worker' || command === 'workers') && arg) return { kind: 'worker', hostname: arg };
  if (command === 'queue') return { kind: 'panel', panel: 'queues' };
  if (command === 'worker') return { kind: 'panel', panel: 'workers' };
  const panel = panelAliases[command];
  if (panel === 'tasks' && arg) return { kind: 'filter', text: arg };
  if (panel) return { kind: 'panel', panel };
  // The panel number keys: 0 the overview, 1..7 the others.
  if (/^[0-7]$/.test(command)) return { kind: 'panel', panel: panelIds[Number(command)]! };
  return {
    kind: 'error',
    message: `unknown command ':${word}' (try ${promptCommands.slice(1, 5).join(' ')} …)`,
  };
}
