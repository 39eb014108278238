import { describe, expect, it } from 'vitest';
import { detectSep } from '../../src/celery/sep-detect.js';

const K = '\x06\x16';

describe('detectSep', () => {
  it('default members with the default sep: no warning', () => {
    const f = detectSep([`celery${K}${K}celery`, `other${K}${K}other`], K);
    expect(f).toEqual({ detected: K, unsplittable: [], warning: null });
  });

  it("Celery's priority recipe (sep ':') read with the default sep: a warning naming ':'", () => {
    const f = detectSep(['celery::celery', 'other::other'], K);
    expect(f.detected).toBe(':');
    expect(f.unsplittable).toEqual(['celery::celery', 'other::other']);
    expect(f.warning).toBe(
      'binding members are split by ":", not the configured sep "\\u0006\\u0016": set --sep ":" (kombu transport option sep)',
    );
  });

  it("':' configured and ':' members: fine; default members with ':' configured: a warning", () => {
    expect(detectSep(['celery::celery'], ':').warning).toBeNull();
    expect(detectSep([`celery${K}${K}celery`], ':').detected).toBe(K);
  });

  it('members no candidate splits: a warning without a guess; no members: nothing', () => {
    const f = detectSep(['celery|celery'], K);
    expect(f.detected).toBeNull();
    expect(f.warning).toMatch(/^1 binding member\(s\) are not split by the configured sep/);
    expect(detectSep([], K).warning).toBeNull();
  });
});
