/**
 * Sizes as people type them on a command line: `100MB`, `512k`, `1.5G`, `20000` (bytes).
 * Units are powers of 1024 (`MB` and `MiB` mean the same), as `ls -h` and `du -h` show sizes.
 * Pure; returns a result so the caller names the flag in its one-line usage error.
 */

const unitBytes: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

export type ByteSizeResult = { ok: true; bytes: number } | { ok: false; reason: string };

/** Parse `value` into a whole number of bytes (> 0). */
export function parseByteSize(value: string): ByteSizeResult {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(?:([kmg])(?:i?b)?|(b))?\s*$/i.exec(value);
  if (!match) return { ok: false, reason: `expected a size like 100MB, 512KB or 1GB, got '${value}'` };
  const unit = (match[2] ?? match[3] ?? '').toLowerCase();
  const bytes = Math.floor(Number(match[1]) * unitBytes[unit]!);
  if (!(bytes > 0) || !Number.isSafeInteger(bytes))
    return { ok: false, reason: `must be at least 1 byte, got '${value}'` };
  return { ok: true, bytes };
}

/** Bytes as a short human figure: `812 B`, `3.4 KB`, `96.1 MB` (powers of 1024, as parsed). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
