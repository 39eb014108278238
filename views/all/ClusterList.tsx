/**
 * The list of every profile: one row per cluster, worst first, refreshed as each profile's look
 * finishes (an unreachable one shows its error and never holds the others). Enter opens that
 * cluster's live screen; Esc there comes back here. Its keys are the keymap's list keys
 * (move, open, quit), so they are the ones the rest of the screen uses.
 */
import { Box, type Key, Text, useInput } from 'ink';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { displayKey, keyName } from '../keys/key-names.js';
import { bindingById } from '../keys/keymap.js';
import { layoutColumns, scrollWindow } from '../present/table-layout.js';
import { fitWidth } from '../present/text-width.js';
import { type Theme, toneColor } from '../present/theme.js';
import { type ClusterBoard, clusterCells, clusterColumns, sortLines } from './cluster-lines.js';

/** What the list ends with: a profile to open, or quit. */
export type ListChoice = { kind: 'open'; name: string } | { kind: 'quit' };

const keysOf = (id: string) => bindingById.get(id)?.keys ?? [];

export interface ClusterListProps {
  board: ClusterBoard;
  theme: Theme;
  width: number;
  height: number;
  /** The profile to put the cursor on at start (the one the operator came back from). */
  initial: string | null;
  /** A line under the title: why the last Enter did not open a cluster. */
  note: string | null;
  onChoice: (choice: ListChoice) => void;
}

export function ClusterList(props: ClusterListProps) {
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  useEffect(() => props.board.subscribe(refresh), [props.board]);
  const lines = sortLines(props.board.lines());
  const [selected, setSelected] = useState<string | null>(props.initial);
  const at = Math.max(
    0,
    lines.findIndex((l) => l.name === selected),
  );
  const latest = useRef({ lines, at });
  latest.current = { lines, at };
  const { onChoice } = props;
  useInput((input: string, key: Key) => {
    const name = keyName(input, key);
    if (name === null) return;
    const { lines, at } = latest.current;
    const move = (to: number) =>
      setSelected(lines[Math.min(lines.length - 1, Math.max(0, to))]?.name ?? null);
    if (keysOf('list.down').includes(name)) move(at + 1);
    else if (keysOf('list.up').includes(name)) move(at - 1);
    else if (keysOf('list.top').includes(name)) move(0);
    else if (keysOf('list.bottom').includes(name)) move(lines.length - 1);
    else if (keysOf('list.open').includes(name) && lines[at])
      onChoice({ kind: 'open', name: lines[at].name });
    else if (keysOf('app.quit').includes(name) || keysOf('app.interrupt').includes(name))
      onChoice({ kind: 'quit' });
  });
  const placed = useMemo(() => layoutColumns(clusterColumns, props.width), [props.width]);
  const bodyRows = Math.max(1, props.height - 5);
  const start = useRef(0);
  start.current = scrollWindow(start.current, at, bodyRows, lines.length);
  const { theme } = props;
  const header = `  ${placed.map((c) => fitWidth(c.title, c.size, c.align)).join(' ')}`;
  const looking = lines.filter((l) => l.pending).length;
  const title = `Every cluster  ${lines.length} profiles${looking > 0 ? ` · ${looking} looking` : ''} · worst first`;
  const footer = [
    `${displayKey(keysOf('list.open')[0] ?? 'return', theme.ascii)} open`,
    `${displayKey(keysOf('list.down')[0] ?? 'down', theme.ascii)}/${displayKey(keysOf('list.up')[0] ?? 'up', theme.ascii)} move`,
    `${keysOf('app.quit')[0] ?? 'q'} quit`,
    'Esc (in a cluster) back here',
  ].join('  ');
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Text bold wrap="truncate-end">
        {fitWidth(`qtop --all  ${title}`, props.width)}
      </Text>
      <Text color={toneColor(theme, 'bad')} wrap="truncate-end">
        {fitWidth(props.note ?? '', props.width)}
      </Text>
      <Text bold={!theme.ascii} wrap="truncate-end">
        {fitWidth(header, props.width)}
      </Text>
      {lines.slice(start.current, start.current + bodyRows).map((line, i) => {
        const row = clusterCells(line, theme.ascii);
        const isSelected = start.current + i === at;
        return (
          <Text key={row.key} inverse={isSelected && !theme.ascii} wrap="truncate-end">
            {isSelected ? '> ' : '  '}
            {placed.map((c, j) => (
              <Text key={c.key} color={toneColor(theme, row.tones?.[c.key])}>
                {(j > 0 ? ' ' : '') + fitWidth(row.cells[c.key] ?? '', c.size, c.align)}
              </Text>
            ))}
          </Text>
        );
      })}
      <Box flexGrow={1} />
      <Text wrap="truncate-end">{fitWidth(footer, props.width)}</Text>
    </Box>
  );
}
