/**
 * Opening a recording for replay: read the file through the reader (src/record) and index it.
 * Every problem with the file (missing, not a recording, a bad line) is a one-line usage error
 * that names the file, and the line when there is one.
 */
import fs from 'node:fs';
import { sanitize } from '../../src/output/sanitize.js';
import { loadRecording, RecordingError } from '../../src/record/reader.js';
import { createTimeline, type Timeline } from '../../src/record/replay.js';
import { UsageError } from '../shared/usage-error.js';

/** The recording in `file`, ready to seek. */
export async function loadTimeline(file: string): Promise<Timeline> {
  try {
    return createTimeline(await loadRecording(fs.createReadStream(file)));
  } catch (error) {
    // The message can quote the file (JSON.parse shows a snippet): a crafted file must not drive the terminal.
    if (error instanceof RecordingError) throw new UsageError(`${file}: ${sanitize(error.message)}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${file}: is a directory, not a recording`);
    if (code === 'EACCES') throw new UsageError(`${file}: permission denied`);
    throw error;
  }
}
