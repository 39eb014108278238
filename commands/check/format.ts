/**
 * The Nagios/Icinga plugin output of `qtop check`: one status line, `QTOP STATUS - summary |
 * perfdata`, as the plugin guidelines (and Icinga's check_command parser) expect it.
 */
import type { CheckResult, Perf, Status } from './eval.js';

/** Perfdata labels are quoted; a quote or '=' inside one would end it early, so those become '_'. */
function label(text: string): string {
  return `'${text.replace(/['=]/g, '_')}'`;
}

function num(value: number | null): string {
  return value === null ? '' : String(value);
}

/** `'label'=value[uom];warn;crit;min;max`, empty fields kept so positions stay meaningful. */
export function formatPerf(p: Perf): string {
  return `${label(p.label)}=${p.value}${p.uom};${num(p.warn)};${num(p.crit)};${num(p.min)};${num(p.max)}`;
}

/** The single status line (with a trailing newline); the summary is kept on one line. */
export function formatStatusLine(status: Status, summary: string, perfdata: Perf[] = []): string {
  // A '|' in the summary would start the perfdata part for the parser.
  const text = summary.replace(/[\r\n]+/g, ' ').replace(/\|/g, '/');
  const perf = perfdata.length > 0 ? ` | ${perfdata.map(formatPerf).join(' ')}` : '';
  return `QTOP ${status.toUpperCase()} - ${text}${perf}\n`;
}

/** The line for a finished check. */
export function formatCheck(result: CheckResult): string {
  return formatStatusLine(result.status, result.summary, result.perfdata);
}
