/**
 * The task filter language, parsed: one parser shared by the screen's `/` filter and the CLI's
 * `--filter`, because a bulk action acts on exactly what the filter says (docs/filter.md).
 *
 *   boom state:FAILURE,RETRY -name:app.ping exception:TimeoutError OR kwargs:user=42 age:>5m
 *
 * Tokens are ANDed; `OR` between tokens splits the query into alternatives (AND binds tighter).
 * A bad query is refused with one line saying what is wrong, never guessed at: a filter that
 * silently matched more than meant would revoke more than meant.
 * Pure: no I/O, no clock.
 */

/** A field whose value is one of a comma-separated list of exact values (`*` matches any run). */
export type ListField = 'state' | 'name' | 'worker' | 'queue' | 'id';
/** A field compared as a number. */
export type NumberField = 'age' | 'runtime' | 'retries';
export type CompareOp = '>' | '>=' | '<' | '<=' | '=';

export type Term =
  | { kind: 'text'; value: string }
  | { kind: 'regex'; re: RegExp }
  | { kind: 'list'; field: ListField; values: string[]; patterns: RegExp[] }
  | { kind: 'exception'; values: string[] }
  | { kind: 'args'; value: string }
  | { kind: 'pair'; field: 'kwargs' | 'stamp'; key: string; value: string | null }
  | { kind: 'number'; field: NumberField; op: CompareOp; value: number };

export interface Clause {
  term: Term;
  negated: boolean;
}

/** A parsed query: alternatives (OR), each a list of clauses that must all hold (AND). */
export interface TaskFilter {
  source: string;
  alternatives: Clause[][];
}

export type ParsedFilter = { ok: true; filter: TaskFilter } | { ok: false; error: string };

/** Longest query accepted, and longest `/regex/` (a bounded pattern keeps matching bounded). */
export const maxQueryChars = 2000;
export const maxRegexChars = 200;

const listFields: Record<string, ListField> = {
  state: 'state',
  s: 'state',
  name: 'name',
  n: 'name',
  worker: 'worker',
  w: 'worker',
  queue: 'queue',
  q: 'queue',
  id: 'id',
};
const numberFields: Record<string, NumberField> = { age: 'age', runtime: 'runtime', retries: 'retries' };
const otherFields = ['exception', 'exc', 'args', 'kwargs', 'stamp'];
const fieldNames = 'state, name, worker, queue, id, exception, args, kwargs, stamp, age, runtime, retries';

interface Token {
  text: string;
  negated: boolean;
  /** Field name before the first unquoted colon, when the token has one. */
  field: string | null;
  regex: { source: string; flags: string } | null;
  quoted: boolean;
}

class QueryError extends Error {}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    if (/\s/.test(source[i]!)) {
      i += 1;
      continue;
    }
    let negated = false;
    if (source[i] === '-' && i + 1 < n && !/\s/.test(source[i + 1]!)) {
      negated = true;
      i += 1;
    }
    if (source[i] === '/') {
      let j = i + 1;
      let body = '';
      while (j < n && source[j] !== '/') {
        // `\/` is a slash inside the pattern; other escapes go to RegExp as written.
        if (source[j] === '\\' && j + 1 < n) {
          body += source[j + 1] === '/' ? '/' : source.slice(j, j + 2);
          j += 2;
        } else body += source[j++];
      }
      if (j >= n) throw new QueryError(`unclosed /regex/ at column ${i + 1}`);
      j += 1;
      let flags = '';
      while (j < n && !/\s/.test(source[j]!)) flags += source[j++];
      if (flags !== '' && flags !== 'i') throw new QueryError(`regex flag "${flags}" not supported (only i)`);
      tokens.push({ text: body, negated, field: null, regex: { source: body, flags }, quoted: false });
      i = j;
      continue;
    }
    let text = '';
    let field: string | null = null;
    let quoted = false;
    let inQuote = false;
    const start = i;
    while (i < n && (inQuote || !/\s/.test(source[i]!))) {
      const c = source[i]!;
      if (c === '"') {
        inQuote = !inQuote;
        quoted = true;
      } else if (c === ':' && !inQuote && !quoted && field === null && /^[A-Za-z_]+$/.test(text)) {
        field = text.toLowerCase();
        text = '';
      } else text += c;
      i += 1;
    }
    if (inQuote) throw new QueryError(`unclosed quote at column ${start + 1}`);
    tokens.push({ text, negated, field, regex: null, quoted });
  }
  return tokens;
}

function splitValues(token: Token): string[] {
  const values = token.text.split(',').filter((v) => v !== '');
  if (values.length === 0) throw new QueryError(`"${token.field}:" needs a value`);
  return values;
}

/** `*` in a value matches any run of characters; everything else is literal. */
function globPattern(value: string): RegExp {
  const escaped = value.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

function numberTerm(field: NumberField, token: Token): Term {
  const m = /^(>=|<=|>|<|=)?(\d+(?:\.\d+)?)([a-z]*)$/.exec(token.text);
  if (!m)
    throw new QueryError(
      `"${field}:${token.text}" is not a comparison (try ${field}:>5${field === 'retries' ? '' : 'm'})`,
    );
  const op = (m[1] ?? '=') as CompareOp;
  const unit = m[3]!;
  if (field === 'retries') {
    if (unit !== '' || m[2]!.includes('.'))
      throw new QueryError(`"retries:${token.text}": retries is a whole number`);
    return { kind: 'number', field, op, value: Number(m[2]) };
  }
  const scale = units[unit === '' ? 's' : unit];
  if (scale === undefined)
    throw new QueryError(`"${field}:${token.text}": unit "${unit}" unknown (ms, s, m, h, d)`);
  return { kind: 'number', field, op, value: Number(m[2]) * scale };
}

function pairTerm(field: 'kwargs' | 'stamp', token: Token): Term {
  const eq = token.text.indexOf('=');
  const key = eq < 0 ? token.text : token.text.slice(0, eq);
  if (key === '') throw new QueryError(`"${field}:" needs key=value or key`);
  return { kind: 'pair', field, key, value: eq < 0 ? null : token.text.slice(eq + 1) };
}

function regexTerm(token: Token): Term {
  const { source, flags } = token.regex!;
  if (source === '') throw new QueryError('empty /regex/');
  if (source.length > maxRegexChars) throw new QueryError(`/regex/ longer than ${maxRegexChars} characters`);
  try {
    return { kind: 'regex', re: new RegExp(source, flags) };
  } catch (error) {
    const why =
      error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
    throw new QueryError(`bad /regex/: ${why}`);
  }
}

function termOf(token: Token): Term {
  if (token.regex) return regexTerm(token);
  const field = token.field;
  if (field === null) return { kind: 'text', value: token.text.toLowerCase() };
  const list = listFields[field];
  if (list) {
    const values = splitValues(token).map((v) => (list === 'state' ? v.toUpperCase() : v));
    return { kind: 'list', field: list, values, patterns: values.map(globPattern) };
  }
  const numeric = numberFields[field];
  if (numeric) return numberTerm(numeric, token);
  if (field === 'exception' || field === 'exc')
    return { kind: 'exception', values: splitValues(token).map((v) => v.toLowerCase()) };
  if (field === 'args') {
    if (token.text === '') throw new QueryError('"args:" needs a value');
    return { kind: 'args', value: token.text };
  }
  if (field === 'kwargs' || field === 'stamp') return pairTerm(field, token);
  throw new QueryError(
    `unknown field "${field}:" (fields: ${fieldNames}); quote it to search text: "${field}:…"`,
  );
}

/** Parse a filter; an empty text is the filter that matches every task. */
export function parseTaskFilter(text: string): ParsedFilter {
  const source = text.trim();
  if (source.length > maxQueryChars)
    return { ok: false, error: `filter: query longer than ${maxQueryChars} characters` };
  try {
    const alternatives: Clause[][] = [[]];
    let previousOr = true;
    for (const token of tokenize(source)) {
      const isOr =
        token.text === 'OR' && !token.quoted && !token.negated && token.field === null && !token.regex;
      if (isOr) {
        if (previousOr) throw new QueryError('OR needs a token on each side');
        alternatives.push([]);
        previousOr = true;
        continue;
      }
      if (token.field === null && !token.regex && token.text === '') continue; // `""`
      alternatives[alternatives.length - 1]!.push({ term: termOf(token), negated: token.negated });
      previousOr = false;
    }
    if (previousOr && alternatives.length > 1) throw new QueryError('OR needs a token on each side');
    return { ok: true, filter: { source, alternatives } };
  } catch (error) {
    if (error instanceof QueryError) return { ok: false, error: `filter: ${error.message}` };
    throw error;
  }
}

/** Whether the filter matches everything (no clause at all). */
export function isEmptyFilter(filter: TaskFilter): boolean {
  return filter.alternatives.length === 1 && filter.alternatives[0]!.length === 0;
}

/** Known field names, for help text and completion. */
export const filterFieldNames = [...Object.keys(listFields), ...Object.keys(numberFields), ...otherFields];
