import { findPackage } from './package-root.js';

/** qtop's version from its package.json, read at run time (see package-root.ts). */
export function readVersion(): string {
  return findPackage()?.version ?? '0.0.0-unknown';
}
