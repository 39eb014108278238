/**
 * The file of `qtop record`: checked before connecting (so a typo costs no connection) and
 * opened once connected (so a broker qtop cannot reach leaves no file behind). A recording is
 * never overwritten without --force: it may be the only trace of an incident.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../shared/usage-error.js';

/** Open FILE for the recording; a UsageError says why not. */
export function openFile(file: string, force: boolean): number {
  try {
    return fs.openSync(file, force ? 'w' : 'wx');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new UsageError(`${file} exists: a recording is never overwritten unless you add --force`);
    throw new UsageError(`cannot write ${file}: ${code ?? String(error)}`);
  }
}

/** Refuse FILE before connecting when it could not be written (it is opened once connected). */
export function checkFile(file: string, force: boolean): void {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat && !force)
    throw new UsageError(`${file} exists: a recording is never overwritten unless you add --force`);
  if (stat?.isDirectory()) throw new UsageError(`cannot write ${file}: it is a directory`);
  try {
    fs.accessSync(stat ? file : path.dirname(path.resolve(file)), fs.constants.W_OK);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
