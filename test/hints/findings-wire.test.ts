import { describe, expect, it } from 'vitest';
import { detectFanoutPrefix } from '../../src/celery/fanout-detect.js';
import { wireOptions } from '../../src/celery/options.js';
import { detectSep } from '../../src/celery/routing-sep.js';
import { selectHints } from '../../src/hints/select/select-hints.js';
import { selectSnapshot } from '../../src/snapshot/select-snapshot.js';
import { reduce } from '../../src/store/reducer.js';
import { schemaErrors } from '../helpers/schema.js';
import { hintModel, sampleQueues, T0 } from './hint-model.js';

const kinds = (model: ReturnType<typeof hintModel>) =>
  selectHints(model, T0 + 1000).findings.map((f) => f.kind);

/** A queue sample carrying the sep check routing-sep.ts makes over `members` with sep `configured`. */
function sampleSep(model: ReturnType<typeof hintModel>, at: number, configured: string, members: string[]) {
  const { detected, mismatch } = detectSep(configured, members);
  reduce(model, {
    type: 'queues/sampled',
    at,
    queues: [],
    undecodableBindings: 0,
    sep: { detected, mismatch: detected === null ? null : mismatch },
  });
}

describe('wire findings', () => {
  it('none on a fresh model, and meta.wireChecks says all agree', () => {
    const model = hintModel();
    sampleQueues(model, T0, { celery: 0 });
    expect(kinds(model)).toEqual([]);
    expect(model.wireChecks).toEqual({ sepMismatch: null, fanoutPrefixMismatch: null, resultsOtherDb: 0 });
  });

  it("sep: workers on ':' and qtop on the default is critical and names --sep; fixed, it clears", () => {
    const model = hintModel();
    sampleSep(model, T0, '\x06\x16', ['celery::celery', 'high::high']);
    const [f] = selectHints(model, T0 + 1000).findings;
    expect(f).toMatchObject({ kind: 'sep-mismatch', severity: 'critical' });
    expect(f!.evidence[0]).toContain('start qtop with --sep ":"');
    expect(f!.fix).toContain('--sep');
    sampleSep(model, T0 + 2000, ':', ['celery::celery', 'high::high']);
    expect(kinds(model)).toEqual([]);
    // Members no sep splits tell nothing: no finding (they are counted as undecodable bindings).
    sampleSep(model, T0 + 3000, ':', ['junk']);
    expect(kinds(model)).toEqual([]);
  });

  it("fanout prefix: workers on the literal '/{db}.' channels and qtop formatted names the flag", () => {
    const model = hintModel();
    const probe = detectFanoutPrefix(wireOptions(), ['/{db}.celery.pidbox']);
    reduce(model, { type: 'pidbox/sampled', at: T0, nodes: [], fanoutPrefix: probe });
    const [f] = selectHints(model, T0 + 1000).findings;
    expect(f).toMatchObject({ kind: 'fanout-prefix-mismatch', severity: 'critical' });
    expect(f!.evidence[0]).toContain('--fanout-prefix-literal');
    const agree = detectFanoutPrefix(wireOptions(), ['/0.celery.pidbox']);
    reduce(model, { type: 'pidbox/sampled', at: T0 + 2000, nodes: [], fanoutPrefix: agree });
    expect(kinds(model)).toEqual([]);
    // A tick without a probe (PUBSUB not allowed) keeps the last verdict.
    reduce(model, { type: 'pidbox/sampled', at: T0 + 3000, nodes: [], fanoutPrefix: probe });
    reduce(model, { type: 'pidbox/sampled', at: T0 + 4000, nodes: [] });
    expect(kinds(model)).toEqual(['fanout-prefix-mismatch']);
  });

  it('results from other dbs add up into one warning naming the backend options', () => {
    const model = hintModel();
    reduce(model, { type: 'results/read', at: T0, via: 'pubsub', metas: [], malformed: 0, otherDb: 2 });
    reduce(model, { type: 'results/read', at: T0 + 10, via: 'pubsub', metas: [], malformed: 0 });
    reduce(model, { type: 'results/read', at: T0 + 20, via: 'pubsub', metas: [], malformed: 0, otherDb: 1 });
    const [f] = selectHints(model, T0 + 1000).findings;
    expect(f).toMatchObject({ kind: 'results-other-db', severity: 'warning' });
    expect(f!.summary).toMatch(/^3 result notifications came from another database or app/);
    expect(f!.fix).toContain('--backend-keyprefix');
  });

  it('critical wire findings sort first; the JSON snapshot carries meta.wireChecks and validates', () => {
    const model = hintModel();
    reduce(model, { type: 'results/read', at: T0, via: 'pubsub', metas: [], malformed: 0, otherDb: 1 });
    sampleSep(model, T0, '\x06\x16', ['a::a']);
    expect(kinds(model)).toEqual(['sep-mismatch', 'results-other-db']);
    const snap = selectSnapshot(model, T0 + 1000, {
      qtopVersion: '0.0.0',
      broker: 'redis://h/0',
      backend: 'redis://h/0',
      backendNote: null,
      label: null,
      readOnly: false,
      hideArgs: false,
      windowMs: 1000,
      complete: true,
      taskLimit: 10,
    });
    expect(snap.meta.wireChecks).toMatchObject({ resultsOtherDb: 1, fanoutPrefixMismatch: null });
    expect(snap.meta.wireChecks.sepMismatch).toContain('--sep');
    expect(schemaErrors(JSON.parse(JSON.stringify(snap)))).toEqual([]);
  });
});
