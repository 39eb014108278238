/**
 * Queue detail: the results of a search of it when there is one, its numbers, the next
 * messages decoded from a peek (Enter opens a message's task; delete and move act on it), and
 * the messages workers have reserved from it. The title says when this qtop paused the queue.
 */
import { sanitize } from '../../src/output/sanitize.js';
import { useScreen } from '../hooks/store-context.js';
import { DetailPanel } from './DetailPanel.js';

/** The detail of queue `name`. */
export function QueueDetail(props: { name: string; width: number; height: number }) {
  const { controls } = useScreen();
  const name = sanitize(props.name);
  const paused = controls.pausedOn(props.name);
  const note =
    paused.length > 0 ? ` · PAUSED by qtop on ${paused.map((w) => sanitize(w)).join(', ')} (U resumes)` : '';
  return (
    <DetailPanel
      title={`Queue ${name}${note}`}
      missing={`queue ${name} is not known`}
      width={props.width}
      height={props.height}
    />
  );
}
