import { describe, expect, it } from 'vitest';
import { isReaderGone } from '../../commands/shared/output-gone.js';

const failure = (code: string) => Object.assign(new Error(code), { code });

describe('isReaderGone', () => {
  it('a closed pipe and a hung-up terminal end qtop like SIGTERM', () => {
    expect(isReaderGone(failure('EPIPE'))).toBe(true);
    expect(isReaderGone(failure('EIO'))).toBe(true);
  });

  it('any other write error is a crash, reported as such', () => {
    expect(isReaderGone(failure('ENOSPC'))).toBe(false);
    expect(isReaderGone(new Error('no code'))).toBe(false);
  });
});
