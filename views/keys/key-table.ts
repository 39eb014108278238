/**
 * The key table of docs/keys.md, generated from the keymap so the documentation cannot drift
 * from the keys: test/views/keymap.test.tsx compares it with the table in docs/keys.md between the
 * `<!-- keys:start -->` and `<!-- keys:end -->` markers.
 */
import { displayKey } from './key-names.js';
import { keymap } from './keymap.js';

/** The key table as Markdown: command id, keys, where it works, what it does. */
export function keyTableMarkdown(): string {
  const rows = keymap.map((b) => {
    const keys = b.keys.map((k) => `\`${displayKey(k, true)}\``).join(' ');
    const notes = [b.write && 'writes', b.danger && 'confirms'].filter(Boolean).join(', ');
    const help = b.help.replaceAll('|', '\\|');
    return `| \`${b.id}\` | ${keys} | ${b.scopes.join(', ')} | ${help}${notes ? ` (${notes})` : ''} |`;
  });
  return ['| command | keys | where | what |', '|---|---|---|---|', ...rows].join('\n');
}
