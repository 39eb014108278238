"""The Python engine side of bench/event-ingest.mjs: Celery's own event path, fed from Redis pub/sub.

Per PUBLISH it does what `celery events` and Flower do with kombu's Redis transport:
  kombu.utils.json.loads(payload)                  (kombu/transport/redis.py _receive_one)
  Base64().decode(body)                            (kombu's virtual transport body codec)
  kombu.serialization.loads(body, content-type, content-encoding, accept={'application/json'})
  EventReceiver._receive(body, message)            (event_from_message: Lamport clock, timestamp
                                                    localization, local_received; then the handler)
  handler = celery.events.state.State().event      (the engine inside Flower and `celery events`)
Subscription: redis-py 4.3 PubSub.psubscribe('/{db}.celeryev/*'); there is no hiredis on this
machine, so replies are parsed by redis-py's pure-Python parser, as Flower would here.

Every 200 ms it prints one JSON status line: events handled, messages, disconnects, tasks held.
Usage: /usr/bin/python3 bench/python_ingest.py <redis-url> <pattern>
"""

import json
import sys
import time

import redis
from celery import Celery
from celery.events.receiver import EventReceiver
from celery.events.state import State
from kombu import serialization
from kombu.transport.virtual.base import Base64
from kombu.utils.encoding import bytes_to_str
from kombu.utils.json import loads


def main(url, pattern):
    app = Celery('bench', set_as_current=True)
    state = State()  # default max_tasks_in_memory=10000, like Flower and `celery events`
    counts = {'events': 0, 'messages': 0, 'errors': 0, 'disconnects': 0}

    def handler(event):
        counts['events'] += 1
        state.event(event)

    # The receiver's per-event work without a broker connection: __init__ would declare a queue.
    receiver = EventReceiver.__new__(EventReceiver)
    receiver.app = app
    receiver.handlers = {'*': handler}
    receiver.clock = app.clock
    receiver.adjust_clock = app.clock.adjust
    receiver.forward_clock = app.clock.forward
    codec = Base64()
    accept = {'application/json'}

    client = redis.Redis.from_url(url)

    def subscribe():
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        pubsub.psubscribe(pattern)
        return pubsub

    pubsub = subscribe()

    def report():
        sys.stdout.write(json.dumps({**counts, 'tasks': len(state.tasks)}) + '\n')
        sys.stdout.flush()

    report()
    last = time.monotonic()
    while True:
        try:
            message = pubsub.get_message(timeout=0.2)
        except redis.ConnectionError:
            # Redis cut us off (client-output-buffer-limit pubsub): count it and subscribe again.
            counts['disconnects'] += 1
            try:
                pubsub.close()
            except Exception:
                pass
            time.sleep(0.05)
            try:
                pubsub = subscribe()
            except redis.ConnectionError:
                pass
            message = None
        if message is not None:
            try:
                payload = loads(bytes_to_str(message['data']))
                properties = payload['properties']
                body = payload['body']
                if properties.get('body_encoding') == 'base64':
                    body = codec.decode(body)
                decoded = serialization.loads(
                    body, payload['content-type'], payload['content-encoding'], accept=accept
                )
                receiver._receive(decoded, None)
                counts['messages'] += 1
            except Exception:
                counts['errors'] += 1
        now = time.monotonic()
        if now - last >= 0.2:
            last = now
            report()


if __name__ == '__main__':
    try:
        main(sys.argv[1], sys.argv[2])
    except KeyboardInterrupt:
        pass
