/** Keys of the Workers panel and a worker's view: ping, pool, autoscale, consumers, shutdown. */
import {
  autoscale,
  consumerAdd,
  consumerCancel,
  ping,
  poolGrow,
  poolShrink,
  shutdown,
} from '../../../src/control/actions/workers.js';
import { actionBinding, type Binding } from '../context/binding.js';

const scopes: Binding['scopes'] = ['workers', 'worker'];

export const workerBindings: Binding[] = [
  actionBinding(ping, { keys: ['P'], scopes, footer: true }),
  actionBinding(poolGrow, { keys: ['+'], scopes, footer: true }),
  actionBinding(poolShrink, { keys: ['-'], scopes, footer: true }),
  actionBinding(autoscale, { keys: ['A'], scopes }),
  actionBinding(consumerAdd, {
    id: 'worker.consume',
    keys: ['c'],
    scopes,
    help: 'Start consuming a queue you type on the worker (add_consumer).',
  }),
  actionBinding(consumerCancel, {
    id: 'worker.cancel-consumer',
    keys: ['C'],
    scopes,
    help: 'Stop the worker consuming one of its queues, which you pick (cancel_consumer).',
  }),
  actionBinding(shutdown, { keys: ['K'], scopes }),
];
