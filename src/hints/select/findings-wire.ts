/**
 * Wire findings: the cluster's own keys contradict qtop's wire options, so qtop reads (and would
 * write) the wrong names. Each says which option to set; the checks themselves are made by the
 * sources (routing-sep.ts over binding members, fanout-detect.ts over the mailbox channels,
 * result-source.ts verifying each notification against the backend db) and kept in
 * `model.wireChecks`.
 */
import type { WireChecks } from '../../store/model.js';
import type { Finding } from '../maths/types.js';
import { finding } from './context.js';

/** Findings from the latest wire checks; none when everything agrees. */
export function wireFindings(checks: WireChecks): Finding[] {
  const out: Finding[] = [];
  if (checks.sepMismatch) {
    out.push(
      finding({
        kind: 'sep-mismatch',
        severity: 'critical',
        summary: "kombu's sep differs from qtop's: queues, priorities and writes use the wrong key names",
        evidence: [checks.sepMismatch],
        fix:
          "set qtop's sep to the workers' broker_transport_options['sep'] (--sep, QTOP_SEP or the " +
          "profile's sep); until then qtop's retry, move and purge would miss or misroute lists",
      }),
    );
  }
  if (checks.fanoutPrefixMismatch) {
    out.push(
      finding({
        kind: 'fanout-prefix-mismatch',
        severity: 'critical',
        summary:
          'workers use another fanout prefix: qtop hears no events and its control commands reach no worker',
        evidence: [checks.fanoutPrefixMismatch],
        fix:
          'start qtop with --fanout-prefix-literal for workers on kombu < 5.4 with Sentinel (they listen on ' +
          "the literal '/{db}.' channels), or without it when they do not",
      }),
    );
  }
  if (checks.resultsOtherDb > 0) {
    out.push(
      finding({
        kind: 'results-other-db',
        severity: 'warning',
        summary: `${checks.resultsOtherDb} result notification${checks.resultsOtherDb === 1 ? '' : 's'} came from another database or app on this Redis server (dropped)`,
        evidence: [
          'pub/sub has no database: celery-task-meta-* notifications of every db and app on the server reach qtop',
          'qtop read each key back from the configured backend db and did not find these, so they are not shown',
        ],
        fix:
          'nothing is wrong with the data shown; if your results live elsewhere, point qtop at that db ' +
          "(--backend redis://host/N) or set the backend's key prefix (--backend-keyprefix, " +
          "result_backend_transport_options['global_keyprefix'])",
      }),
    );
  }
  return out;
}
