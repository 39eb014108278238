// JSON as Python's `json.dumps` writes it (what kombu puts on the wire, wire doc 4.1): ", " and
// ": " separators, non-ASCII escaped (ensure_ascii), and floats that stay floats (`2.0`, not `2`):
// wrap such a number with `pyFloat`.

class PyFloat {
  constructor(value) {
    this.value = value;
  }
}

/** Mark a number as a Python float so integral values print as `2.0`. */
export function pyFloat(value) {
  return new PyFloat(value);
}

function floatText(n) {
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : Number.isNaN(n) ? 'NaN' : '-Infinity';
  const text = String(n);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

function stringText(s) {
  // JSON.stringify escapes quotes, backslashes and controls; Python also escapes non-ASCII.
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `json.dumps(value)` with Python's defaults. */
export function pyDumps(value) {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PyFloat) return floatText(value.value);
  switch (typeof value) {
    case 'string':
      return stringText(value);
    case 'number':
      return Number.isInteger(value) ? String(value) : floatText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(', ')}]`;
  const parts = [];
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) parts.push(`${stringText(key)}: ${pyDumps(item)}`);
  }
  return `{${parts.join(', ')}}`;
}
