/** Chain links a waiting message still carries, shown in the family as "not sent yet" (real Celery 5.2 output). */
import { describe, expect, it } from 'vitest';
import { toPeekedMessage } from '../../src/sources/peeked-message.js';
import { createModel } from '../../src/store/create-model.js';
import { familyHeadlineParts, familyRowText, familyTreeRows } from '../../src/store/family-tree-rows.js';
import { reduce } from '../../src/store/reducer.js';
import { selectQueues } from '../../src/store/select-queues.js';
import { selectTaskFamily } from '../../src/store/select-task-family.js';
import { createTaskRecord } from '../../src/store/task-records.js';

// LRANGE of the first link of a chain routed to a queue nobody consumes, on Celery 5.2.6:
// chain(add.s(1, 1).set(queue='nowhere'), echo.s(), echo.si()).apply_async(). Its embed keeps
// the rest of the chain reversed: [echo.si() (61aaa24a…, the last), echo.s() (03d15329…, the next)].
const firstLink =
  '{"body": "W1sxLCAxXSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjogW3sidGFzayI6ICJhcHAuZWNobyIsICJhcmdzIjogW10sICJrd2FyZ3MiOiB7fSwgIm9wdGlvbnMiOiB7InRhc2tfaWQiOiAiNjFhYWEyNGEtM2IxZC00NjUzLTk0ODUtZjNjNzVlYmNmZGRhIiwgInJlcGx5X3RvIjogImYzZDllNDgxLTI5Y2MtM2QxYS05ODg4LWRkOWNlZmQ0YjZhZSJ9LCAic3VidGFza190eXBlIjogbnVsbCwgImltbXV0YWJsZSI6IHRydWV9LCB7InRhc2siOiAiYXBwLmVjaG8iLCAiYXJncyI6IFtdLCAia3dhcmdzIjoge30sICJvcHRpb25zIjogeyJ0YXNrX2lkIjogIjAzZDE1MzI5LTY1OWEtNGQzMy05Yjk4LWM4MTg5ZmUxZWQyNSIsICJyZXBseV90byI6ICJmM2Q5ZTQ4MS0yOWNjLTNkMWEtOTg4OC1kZDljZWZkNGI2YWUifSwgInN1YnRhc2tfdHlwZSI6IG51bGwsICJpbW11dGFibGUiOiBmYWxzZX1dLCAiY2hvcmQiOiBudWxsfV0=", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": "py", "task": "app.add", "id": "b77e833b-fc2d-43c5-aeb3-227fd5042233", "shadow": null, "eta": null, "expires": null, "group": null, "group_index": null, "retries": 0, "timelimit": [null, null], "root_id": "b77e833b-fc2d-43c5-aeb3-227fd5042233", "parent_id": null, "argsrepr": "(1, 1)", "kwargsrepr": "{}", "origin": "gen5563@vm", "ignore_result": false}, "properties": {"correlation_id": "b77e833b-fc2d-43c5-aeb3-227fd5042233", "reply_to": "f3d9e481-29cc-3d1a-9888-dd9cefd4b6ae", "delivery_mode": 2, "delivery_info": {"exchange": "", "routing_key": "nowhere"}, "priority": 0, "body_encoding": "base64", "delivery_tag": "dce04ea5-ff87-4243-968c-9a0891318236"}}';
const first = 'b77e833b-fc2d-43c5-aeb3-227fd5042233';
const next = '03d15329-659a-4d33-9b98-c8189fe1ed25';
const last = '61aaa24a-3b1d-4653-9485-f3c75ebcfdda';

function modelWith(message: ReturnType<typeof toPeekedMessage>) {
  const model = createModel(0);
  reduce(model, {
    type: 'queues/sampled',
    at: 1000,
    undecodableBindings: 0,
    queues: [{ name: 'nowhere', exchanges: ['nowhere'], lengths: { 0: 1 }, peek: [message] }],
  });
  return model;
}

describe('a chain link waiting in a queue', () => {
  it('carries the rest of the chain in the order it will run', () => {
    expect(toPeekedMessage(firstLink, 0, 0, 10_000)).toMatchObject({
      id: first,
      chain: [
        { id: next, name: 'app.echo' },
        { id: last, name: 'app.echo' },
      ],
    });
  });

  it('shows the links not sent yet under the waiting one, each after the one before it', () => {
    const model = modelWith(toPeekedMessage(firstLink, 0, 0, 10_000));
    const family = selectTaskFamily(model, first)!;
    expect(family.nodes.map((n) => n.id)).toEqual([first, next, last]);
    expect(family.edges).toEqual([
      { from: first, to: next, kind: 'child' },
      { from: next, to: last, kind: 'child' },
    ]);
    expect(family.nodes.find((n) => n.id === last)).toMatchObject({
      seen: false,
      notSent: true,
      name: 'app.echo',
      state: null,
    });
    expect(family.nodes.find((n) => n.id === first)).toMatchObject({ seen: true, notSent: false });
    expect(family.finished).toBe(false);
    const rows = familyTreeRows(family, new Set(), true).map((r) => familyRowText(r, family));
    expect(rows[1]).toContain(`${next}  app.echo  not sent yet (chain link)`);
    expect(familyHeadlineParts(family)[0]).toContain('3 tasks (2 not sent yet)');
  });

  it('a link already held is shown as held, not as not sent', () => {
    const model = modelWith(toPeekedMessage(firstLink, 0, 0, 10_000));
    // Sent since the peek: the worker has it (its parent is the first link).
    // A record is a class with accessors: a spread would drop them, so fields are assigned.
    model.tasks.set(
      next,
      Object.assign(createTaskRecord(next, 0), {
        name: 'app.echo',
        state: 'RECEIVED',
        parentId: first,
        rootId: first,
      }),
    );
    const family = selectTaskFamily(model, first)!;
    expect(family.nodes.find((n) => n.id === next)).toMatchObject({ seen: true, notSent: false });
    expect(family.nodes.find((n) => n.id === last)).toMatchObject({ notSent: true });
  });

  it('keeps the chain out of the queue rows (qtop/1 peek[] has no such field)', () => {
    const model = modelWith(toPeekedMessage(firstLink, 0, 0, 10_000));
    const [queue] = selectQueues(model, 1000).filter((q) => q.name === 'nowhere');
    expect(queue!.peek[0]).not.toHaveProperty('chain');
    expect(queue!.peek[0]).toMatchObject({ id: first });
  });

  it('stops at a link without an id: the ones after it cannot be placed', () => {
    const raw = JSON.parse(firstLink);
    const body = JSON.parse(Buffer.from(raw.body, 'base64').toString('utf8'));
    delete body[2].chain[1].options.task_id; // the next link (kept last) loses its id
    raw.body = Buffer.from(JSON.stringify(body)).toString('base64');
    const message = toPeekedMessage(JSON.stringify(raw), 0, 0, 10_000);
    expect(message.id).toBe(first);
    expect(message).not.toHaveProperty('chain');
  });
});
