/**
 * Task detail: every known field, args/kwargs/result as pretty JSON or repr, exception and
 * traceback, timeline, origins, and links to parent, root, children and retries.
 */
import { sanitize } from '../../src/output/sanitize.js';
import { DetailPanel } from './DetailPanel.js';

/** The detail of task `id`. */
export function TaskDetail(props: { id: string; width: number; height: number }) {
  const id = sanitize(props.id);
  return (
    <DetailPanel
      title={`Task ${id}`}
      missing={`task ${id} is not held: never seen, or evicted (--max-tasks)`}
      width={props.width}
      height={props.height}
    />
  );
}
