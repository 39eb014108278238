/**
 * Queue subcommands: `purge` (needs `--confirm QUEUE`), `consumer add|cancel`, `queue pause|resume`
 * and `message delete|move` (exactly one message, atomically).
 */
import { Argument, type Command } from 'commander';
import { queueListKeys } from '../../src/celery/names.js';
import {
  messageDelete,
  messageMove,
  purge,
  queuePause,
  queueResume,
} from '../../src/control/actions/queues.js';
import { consumerAdd, consumerCancel } from '../../src/control/actions/workers.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import { confirmRefusal, controlCommand, destination, startAction, workerOption } from './cli-kit.js';
import { exchangeTypeOption, exchangeTypesOf } from './cli-routing.js';

type WorkerFlags = { worker?: string[] };

/** Add `purge`, `consumer`, `queue` and `message` to `program`. */
export function registerQueueCommands(program: Command, io: CliIo): void {
  controlCommand(program, 'purge', 'delete every message waiting in one queue (all its priority lists)', [
    'qtop purge parked                    says how many messages it would delete',
    'qtop purge parked --confirm parked   deletes them',
    'Messages workers already reserved are not purged (revoke them); other queues are untouched.',
  ])
    .argument('<queue>', 'queue name')
    .option('--confirm <queue>', 'the queue name again, to confirm')
    .action((queue: string, opts: { confirm?: string }, cmd: Command) =>
      startAction(io, cmd, purge, () => ({ queue, ready: 0 }), {
        confirm: async ({ broker, wire }) => {
          if (opts.confirm === queue) return null;
          const lengths = await Promise.all(queueListKeys(wire, queue).map(({ key }) => broker.llen(key)));
          const total = lengths.reduce((a, b) => a + b, 0);
          return confirmRefusal(
            `this would delete ${total} message${total === 1 ? '' : 's'} waiting in ${queue}`,
            queue,
          );
        },
      }),
    );

  workerOption(
    controlCommand(program, 'consumer', 'make workers start or stop consuming a queue', [
      'qtop consumer add other -w w1     w1 starts consuming queue other',
      'qtop consumer cancel other        every worker stops consuming it (messages stay queued)',
    ]),
  )
    .addArgument(new Argument('<action>', 'add or cancel').choices(['add', 'cancel']))
    .argument('<queue>', 'queue name')
    .action((action: string, queue: string, opts: WorkerFlags, cmd: Command) =>
      startAction(io, cmd, action === 'add' ? consumerAdd : consumerCancel, () => ({
        queue,
        destination: destination(opts.worker),
        choose: null,
        options: [],
      })),
    );

  workerOption(
    controlCommand(
      program,
      'queue',
      'pause a queue (cancel its consumer on every worker using it) or resume it',
      [
        'qtop queue pause celery             prints the workers it paused',
        'qtop queue resume celery -w w1@host -w w2@host',
        'A CLI run forgets what it paused; resume takes the workers pause printed (the live screen remembers).',
      ],
    ),
    'with resume: re-add the consumer on this worker',
  )
    .addArgument(new Argument('<action>', 'pause or resume').choices(['pause', 'resume']))
    .argument('<queue>', 'queue name')
    .action((action: string, queue: string, opts: WorkerFlags, cmd: Command) =>
      action === 'pause'
        ? startAction(io, cmd, queuePause, () => {
            if (opts.worker?.length) throw new UsageError('pause finds the workers itself; drop --worker');
            return { queue, consumers: [] };
          })
        : startAction(io, cmd, queueResume, () => ({ queue, workers: opts.worker ?? [] })),
    );

  const message = controlCommand(
    program,
    'message',
    'delete or move exactly one waiting message, by task id (atomic)',
    [
      'qtop message delete parked 1fd839f2-9c3e-4f5e-8a51-2b1f0c7d9e11',
      'qtop message move parked 1fd839f2-9c3e-4f5e-8a51-2b1f0c7d9e11 --to celery',
      'move keeps the priority and sets delivery_info so a kombu restore puts it back in the target;',
      'the target must be a declared queue (qtop adds no binding).',
    ],
  )
    .addArgument(new Argument('<action>', 'delete or move').choices(['delete', 'move']))
    .argument('<queue>', 'queue the message waits in')
    .argument('<task-id>', 'task id of the message')
    .option('--to <queue>', 'with move: the target queue (same priority)');
  exchangeTypeOption(message).action(
    (
      action: string,
      queue: string,
      taskId: string,
      opts: { to?: string; exchangeType?: string[] },
      cmd: Command,
    ) =>
      action === 'delete'
        ? startAction(io, cmd, messageDelete, () => {
            if (opts.to || opts.exchangeType) throw new UsageError('--to and --exchange-type go with move');
            return { queue, taskId, name: null };
          })
        : startAction(io, cmd, messageMove, () => {
            if (!opts.to) throw new UsageError('move needs --to QUEUE');
            const exchangeTypes = exchangeTypesOf(opts.exchangeType);
            const params = { queue, taskId, name: null, toQueue: opts.to };
            return exchangeTypes ? { ...params, exchangeTypes } : params;
          }),
  );
}
