"""Send one Celery canvas (chain, group or chord) the way an application does, for the workflow tests.

Usage:
  /usr/bin/python3 send_canvas.py chain|group|chord|chord-parked

Prints one JSON object with the ids Celery gave the canvas's members, in the order they run:
  chain         app.add(2, 3) | app.add(4) | app.add(5)        -> {"members": [a, b, c]}
  group         app.add(i, i) for i in 0..2                    -> {"group": gid, "members": [...]}
  chord         [app.add(1, 1), app.add(2, 2)] then app.echo   -> {"group", "members", "body"}
  chord-parked  the same with the body routed to 'parked', which no worker consumes, so the
                header finishes and the body never starts
The broker and settings come from the same QTOP_* environment variables as the worker.
"""

import json
import sys

from celery import chain, chord, group

from qtop_test_app import add, echo


def main(kind):
    if kind == 'chain':
        result = chain(add.s(2, 3), add.s(4), add.s(5)).apply_async()
        members = []
        node = result
        while node is not None:
            members.append(node.id)
            node = node.parent
        return {'members': list(reversed(members))}
    if kind == 'group':
        result = group(add.s(i, i) for i in range(3)).apply_async()
        return {'group': result.id, 'members': [r.id for r in result.results]}
    if kind in ('chord', 'chord-parked'):
        body = echo.s() if kind == 'chord' else echo.s().set(queue='parked')
        header = group(add.s(1, 1), add.s(2, 2))
        result = chord(header, body).apply_async()
        parent = result.parent
        return {'group': parent.id, 'members': [r.id for r in parent.results], 'body': result.id}
    raise SystemExit('unknown canvas: %s' % kind)


if __name__ == '__main__':
    print(json.dumps(main(sys.argv[1])))
