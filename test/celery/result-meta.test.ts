import { describe, expect, it } from 'vitest';
import { decodeChordJoinMember, decodeGroupMeta, decodeResultMeta } from '../../src/celery/result-meta.js';
import { expectFail, expectOk, fixture } from './fixture-files.js';

describe('decodeResultMeta', () => {
  it('result-meta-success.json: plain SUCCESS', () => {
    expect(expectOk(decodeResultMeta(fixture('result-meta-success.json')))).toEqual({
      taskId: '1fd839f2-3886-4ad6-a78f-8a3d4baca96d',
      status: 'SUCCESS',
      result: 5,
      exception: null,
      traceback: null,
      children: [],
      dateDone: '2026-11-24T12:43:38.339038',
      groupId: null,
      parentId: null,
      extended: null,
    });
  });

  it('result-meta-failure.json: exception and traceback', () => {
    const meta = expectOk(decodeResultMeta(fixture('result-meta-failure.json')));
    expect(meta.exception).toEqual({ type: 'ValueError', message: ['kaboom'], module: 'builtins' });
    expect(meta.traceback).toMatch(/ValueError: kaboom\n$/);
    expect(meta.extended).toBeNull();
  });

  it('RETRY and REVOKED carry exceptions too', () => {
    const retry = expectOk(decodeResultMeta(fixture('result-meta-retry.json')));
    expect(retry.exception).toEqual({ type: 'RuntimeError', message: ['try 0'], module: 'builtins' });
    expect(retry.dateDone).toBeNull();
    expect(retry.children).toEqual([[['a8d48ac9-99da-4e44-9145-e7478ba2cc1c', null], null]]);
    const revoked = expectOk(decodeResultMeta(fixture('result-meta-revoked.json')));
    expect(revoked.exception).toEqual({
      type: 'TaskRevokedError',
      message: ['terminated'],
      module: 'celery.exceptions',
    });
  });

  it('result-meta-started.json: STARTED has {pid, hostname} and no exception', () => {
    const meta = expectOk(decodeResultMeta(fixture('result-meta-started.json')));
    expect(meta).toMatchObject({
      status: 'STARTED',
      result: { pid: 20443, hostname: 'w2@vm' },
      exception: null,
    });
  });

  it('result-meta-success-extended.json: extended args and kwargs are real JSON', () => {
    const meta = expectOk(decodeResultMeta(fixture('result-meta-success-extended.json')));
    expect(meta.extended).toEqual({
      name: 'app.echo',
      args: [1, 'two', { three: 3 }],
      kwargs: { k: [1, 2] },
      worker: 'w1@vm',
      retries: 0,
      queue: 'celery',
    });
  });

  it('extended FAILURE, expired REVOKED, group member and chord body', () => {
    const failure = expectOk(decodeResultMeta(fixture('result-meta-failure-extended.json')));
    expect(failure).toMatchObject({
      exception: { type: 'ValueError' },
      extended: { name: 'app.boom', args: ['kaboom'] },
    });
    const expired = expectOk(decodeResultMeta(fixture('result-meta-revoked-expired-extended.json')));
    expect(expired.exception?.message).toEqual(['expired']);
    const member = expectOk(decodeResultMeta(fixture('result-meta-group-member-extended.json')));
    expect(member.groupId).toBe('2529b1e8-9b97-4f33-a97f-fe2f808b938f');
    const body = expectOk(decodeResultMeta(fixture('result-meta-chord-body-extended.json')));
    expect(body).toMatchObject({ parentId: '464603c2-8c83-4134-9984-02ca7de3163e', result: 6 });
  });

  it('an unregistered task has extended meta with a null name', () => {
    const raw = JSON.stringify({
      status: 'FAILURE',
      result: { exc_type: 'NotRegistered' },
      name: null,
      task_id: 'x',
    });
    const meta = expectOk(decodeResultMeta(raw));
    expect(meta.extended?.name).toBeNull();
    expect(meta.exception).toEqual({ type: 'NotRegistered', message: null, module: null });
  });

  it('exception fields only for exception states and the exception shape', () => {
    const success = { status: 'SUCCESS', result: { exc_type: 'X' }, task_id: 'x' };
    expect(expectOk(decodeResultMeta(JSON.stringify(success))).exception).toBeNull();
    const oddFailure = { status: 'FAILURE', result: 'boom', task_id: 'x' };
    expect(expectOk(decodeResultMeta(JSON.stringify(oddFailure))).exception).toBeNull();
  });

  it('status and task_id are required', () => {
    expect(expectFail(decodeResultMeta('{"task_id": "x"}'))).toBe('result meta has no status');
    expect(expectFail(decodeResultMeta('{"status": "SUCCESS"}'))).toBe('result meta has no task_id');
    expect(expectFail(decodeResultMeta('[]'))).toBe('result meta is not a JSON object (array)');
  });
});

describe('decodeGroupMeta', () => {
  const gid = '2529b1e8-9b97-4f33-a97f-fe2f808b938f';

  it('result-group-meta.json: the child ids in order', () => {
    expect(expectOk(decodeGroupMeta(fixture('result-group-meta.json'), gid))).toEqual({
      groupId: gid,
      childIds: [
        '9297d231-ee28-4864-bed7-cb6dbe52f39a',
        'baeff273-ab5b-4642-84ef-806083997ffa',
        '6e824121-6189-4ae5-9c6c-596f6950ac9c',
      ],
    });
  });

  it('rejects a value that names another group, and other shapes', () => {
    expect(expectFail(decodeGroupMeta(fixture('result-group-meta.json'), 'other'))).toBe(
      `group meta is for ${gid}, not other`,
    );
    expect(expectFail(decodeGroupMeta('{"result": [["g", null]]}', 'g'))).toMatch(/not \[\[group_id/);
    expect(expectFail(decodeGroupMeta('{"result": [["g", null], [5]]}', 'g'))).toMatch(/child is not/);
  });
});

describe('decodeChordJoinMember', () => {
  it('result-chord-join-member.json: [1, id, state, result]', () => {
    expect(expectOk(decodeChordJoinMember(fixture('result-chord-join-member.json')))).toEqual({
      taskId: 'f4fd5f4a-de45-4499-ba68-260f4bee6c49',
      state: 'SUCCESS',
      result: 2,
    });
  });

  it('rejects other shapes', () => {
    expect(expectFail(decodeChordJoinMember('[1, "id", "SUCCESS"]'))).toMatch(
      /is not \[1, id, state, result\]/,
    );
    expect(expectFail(decodeChordJoinMember('[1, 2, "SUCCESS", 3]'))).toBe(
      'chord join member has no task id',
    );
  });
});
