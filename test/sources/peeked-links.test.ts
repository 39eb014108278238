/** Workflow links a waiting message carries: its group and the chord body its embed names (real Celery 5.2 output). */
import { describe, expect, it } from 'vitest';
import { toPeekedMessage } from '../../src/sources/peeked-message.js';
import { createModel } from '../../src/store/create-model.js';
import { reduce } from '../../src/store/reducer.js';
import { selectTaskFamily } from '../../src/store/select-task-family.js';

// LRANGE of a chord header member routed to a queue nobody consumes:
// chord([app.add(1, 1).set(queue='nowhere')], app.echo.s()).apply_async() on Celery 5.2.6.
const headerMessage =
  '{"body": "W1sxLCAxXSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjogbnVsbCwgImNob3JkIjogeyJ0YXNrIjogImFwcC5lY2hvIiwgImFyZ3MiOiBbXSwgImt3YXJncyI6IHt9LCAib3B0aW9ucyI6IHsidGFza19pZCI6ICIyNjRmNjM5Yi02NDk0LTQ1ZmMtYTlhMi01NzIzOTAzYTIxMzkiLCAicmVwbHlfdG8iOiAiNWUwOTc1ZjgtZWNhMS0zMDg5LWFjYzYtMzhiNzYwMmFjYmNlIn0sICJzdWJ0YXNrX3R5cGUiOiBudWxsLCAiaW1tdXRhYmxlIjogZmFsc2V9fV0=", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": "py", "task": "app.add", "id": "532c5cfa-4480-45db-af20-baa54b12cc18", "shadow": null, "eta": null, "expires": null, "group": "6f148c21-7e0c-4c99-9782-b2c7fa499bd2", "group_index": 0, "retries": 0, "timelimit": [null, null], "root_id": "532c5cfa-4480-45db-af20-baa54b12cc18", "parent_id": null, "argsrepr": "(1, 1)", "kwargsrepr": "{}", "origin": "gen24793@vm", "ignore_result": false}, "properties": {"correlation_id": "532c5cfa-4480-45db-af20-baa54b12cc18", "reply_to": "5e0975f8-eca1-3089-acc6-38b7602acbce", "delivery_mode": 2, "delivery_info": {"exchange": "", "routing_key": "nowhere"}, "priority": 0, "body_encoding": "base64", "delivery_tag": "04aad432-4e6c-4072-af9c-eb2a85e8ba45"}}';
const body = '264f639b-6494-45fc-a9a2-5723903a2139';
const group = '6f148c21-7e0c-4c99-9782-b2c7fa499bd2';

describe('a chord header message', () => {
  it('names its group and the chord body', () => {
    const peeked = toPeekedMessage(headerMessage, 0, 0, 10_000);
    expect(peeked).toMatchObject({ name: 'app.add', groupId: group, chordId: body, parentId: null });
  });

  it('puts the body, not sent yet, under the header group as not seen', () => {
    const model = createModel(0);
    const message = toPeekedMessage(headerMessage, 0, 0, 10_000);
    reduce(model, {
      type: 'queues/sampled',
      at: 1000,
      undecodableBindings: 0,
      queues: [{ name: 'nowhere', exchanges: ['nowhere'], lengths: { 0: 1 }, peek: [message] }],
    });
    const family = selectTaskFamily(model, message.id!)!;
    expect(family.edges.map((e) => `${e.kind}:${e.from}>${e.to}`).sort()).toEqual([
      `chord:${group}>${body}`,
      `group:${group}>${message.id}`,
    ]);
    expect(family.nodes.find((n) => n.id === body)).toMatchObject({ seen: false, kind: 'task' });
  });
});
