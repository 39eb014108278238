/** Keys of the Queues panel and a queue's view: priorities, search, purge, pause, consumers, messages. */
import {
  messageDelete,
  messageMove,
  purge,
  queuePause,
  queueResume,
} from '../../../src/control/actions/queues.js';
import { consumerAdd, consumerCancel } from '../../../src/control/actions/workers.js';
import { actionBinding, type Binding } from '../context/binding.js';

export const queueBindings: Binding[] = [
  {
    id: 'queues.priorities',
    keys: ['b'],
    scopes: ['queues'],
    label: 'by priority',
    footer: true,
    help: 'Show or hide ready messages per priority step.',
    run: (ctx) => ctx.dispatch({ type: 'priorities/toggled' }),
  },
  {
    id: 'queue.search',
    keys: ['/'],
    scopes: ['queue'],
    label: 'search',
    footer: true,
    help: 'Search all waiting messages of the queue by task name, id, args or kwargs (a bounded, read-only scan).',
    run: (ctx) =>
      ctx.current.view.kind === 'queue' && ctx.ask({ action: 'queue-search', queue: ctx.current.view.name }),
  },
  actionBinding(purge, { keys: ['X'], scopes: ['queues', 'queue'], footer: true }),
  actionBinding(queuePause, { keys: ['P'], scopes: ['queues', 'queue'] }),
  actionBinding(queueResume, { keys: ['U'], scopes: ['queues', 'queue'] }),
  actionBinding(consumerAdd, {
    id: 'queue.consume',
    keys: ['c'],
    scopes: ['queues', 'queue'],
    help: 'Start consuming the queue on a worker you pick from those up and not consuming it (add_consumer).',
  }),
  actionBinding(consumerCancel, {
    id: 'queue.cancel-consumer',
    keys: ['C'],
    scopes: ['queues', 'queue'],
    help: 'Stop consuming the queue on one worker you pick from those consuming it (cancel_consumer).',
  }),
  actionBinding(messageDelete, { keys: ['d'], scopes: ['queue'], footer: true }),
  actionBinding(messageMove, { keys: ['m'], scopes: ['queue'], footer: true }),
];
