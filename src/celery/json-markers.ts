import type { Json } from './types.js';

/**
 * kombu 5.3+ JSON markers (wire doc 10.1): datetime, date, time, Decimal, UUID and bytes in
 * task args, kwargs and results are written as `{"__type__": t, "__value__": v}`. qtop shows
 * them as text and passes them through unchanged (a retry must send them back as they were),
 * so decoders never transform them; views call these two functions.
 */
export interface JsonMarker {
  __type__: string;
  __value__: Json;
}

/**
 * True for an object with exactly the keys `__type__` (a string) and `__value__`, the test
 * kombu's `object_hook` applies. Any `__type__` counts: apps may `register_type` their own.
 */
export function isJsonMarker(value: unknown): value is JsonMarker {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 2 &&
    Object.hasOwn(value, '__type__') &&
    Object.hasOwn(value, '__value__') &&
    typeof (value as Record<string, unknown>).__type__ === 'string'
  );
}

const uuidHex = /^[0-9a-f]{32}$/i;
const maxText = 200;

/**
 * Display text for a marker: the ISO string for datetime/date/time, the digits for decimal,
 * the dashed form for uuid (`{hex, version?}`), `b'...'` for bytes, and a size for base64
 * (undecodable bytes). Unknown types show as `type: json`; a non-marker shows as JSON.
 * Never throws.
 */
export function describeMarker(marker: unknown): string {
  try {
    if (!isJsonMarker(marker)) return cap(String(JSON.stringify(marker)));
    const { __type__: type, __value__: value } = marker;
    switch (type) {
      case 'datetime':
      case 'date':
      case 'time':
      case 'decimal':
        if (typeof value === 'string') return value;
        break;
      case 'uuid': {
        const hex = typeof value === 'string' ? value : isRecord(value) ? value.hex : null;
        if (typeof hex === 'string' && uuidHex.test(hex)) {
          const h = hex.toLowerCase();
          return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
        }
        if (typeof hex === 'string') return hex;
        break;
      }
      case 'bytes':
        if (typeof value === 'string') return cap(`b${JSON.stringify(value)}`);
        break;
      case 'base64':
        // Bytes that were not UTF-8 (kombu JSONEncoder): show the size, not the noise.
        if (typeof value === 'string')
          return `<${Math.floor((value.replace(/=+$/, '').length * 3) / 4)} bytes>`;
        break;
    }
    return cap(`${type}: ${JSON.stringify(value)}`);
  } catch {
    return '<marker>';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cap(text: string): string {
  return text.length > maxText ? `${text.slice(0, maxText - 1)}…` : text;
}
