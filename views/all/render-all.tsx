/**
 * The Ink entry of the list of every profile, loaded dynamically like views/render.tsx. It owns
 * the terminal while the list is up (alternate screen, raw keys, mouse reports kept out of the
 * keys) and gives it back whichever way the list ends: a profile chosen, q, or a signal.
 */
import { render, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import { MouseFilterStream } from '../input/mouse-stream.js';
import { themeFor } from '../present/theme.js';
import { openTerminal } from '../screen/terminal-session.js';
import { ClusterList, type ListChoice } from './ClusterList.js';
import type { ClusterBoard } from './cluster-lines.js';

export type { ListChoice } from './ClusterList.js';
export type { ClusterBoard } from './cluster-lines.js';

export interface ListRun {
  board: ClusterBoard;
  env: NodeJS.ProcessEnv;
  initial?: string | null;
  note?: string | null;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/** The list, sized to the terminal (one line short, as the live screen is). */
function SizedList(props: Omit<React.ComponentProps<typeof ClusterList>, 'width' | 'height'>) {
  const { stdout } = useStdout();
  const [size, setSize] = useState({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return <ClusterList {...props} width={size.columns} height={Math.max(1, size.rows - 1)} />;
}

/** Show the list until the operator picks a profile or quits. */
export async function runClusterList(run: ListRun): Promise<ListChoice> {
  const stdin = run.stdin ?? process.stdin;
  const stdout = run.stdout ?? process.stdout;
  const stderr = run.stderr ?? process.stderr;
  const terminal = openTerminal(stdout, stdin);
  const input = stdin.isTTY ? new MouseFilterStream(stdin, () => {}) : null;
  let choice: ListChoice = { kind: 'quit' };
  let done = () => {};
  const onSignal = () => done();
  const onExit = () => terminal.restore();
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  process.on('exit', onExit);
  try {
    const instance = render(
      <SizedList
        board={run.board}
        theme={themeFor(run.env)}
        initial={run.initial ?? null}
        note={run.note ?? null}
        onChoice={(picked) => {
          choice = picked;
          done();
        }}
      />,
      {
        stdin: input ? (input as unknown as NodeJS.ReadStream) : stdin,
        stdout,
        stderr,
        exitOnCtrlC: false,
        patchConsole: false,
        maxFps: 0,
      },
    );
    done = () => instance.unmount();
    await instance.waitUntilExit();
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    process.off('exit', onExit);
    terminal.restore();
    input?.destroy();
  }
  return choice;
}
