/**
 * Worker detail: stats, pool, load history, processed per task, and the active, reserved,
 * scheduled (links) and registered tasks from the last inspect rounds.
 */
import { sanitize } from '../../src/output/sanitize.js';
import { DetailPanel } from './DetailPanel.js';

/** The detail of worker `hostname`. */
export function WorkerDetail(props: { hostname: string; width: number; height: number }) {
  const name = sanitize(props.hostname);
  return (
    <DetailPanel
      title={`Worker ${name}`}
      missing={`worker ${name} is not known`}
      width={props.width}
      height={props.height}
    />
  );
}
