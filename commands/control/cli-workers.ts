/**
 * Worker subcommands: `pool`, `autoscale`, `rate-limit`, `time-limit`, `events`, `ping`, `shutdown`
 * and the read-only `inspect`. Worker names may be short (`w1` for `w1@host`) when unambiguous.
 */
import { Argument, type Command } from 'commander';
import { rateLimit, timeLimit } from '../../src/control/actions/tasks.js';
import {
  autoscale,
  eventsOff,
  eventsOn,
  ping,
  poolGrow,
  poolShrink,
  shutdown,
} from '../../src/control/actions/workers.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import {
  confirmRefusal,
  controlCommand,
  destination,
  secondsOrNone,
  start,
  startAction,
  wholeNumber,
  workerOption,
} from './cli-kit.js';
import { INSPECT_METHODS } from './inspect.js';

type WorkerFlags = { worker?: string[] };

/** Add `pool`, `autoscale`, `rate-limit`, `time-limit`, `events`, `ping`, `shutdown`, `inspect`. */
export function registerWorkerCommands(program: Command, io: CliIo): void {
  controlCommand(program, 'pool', "grow or shrink one worker's pool by N processes", [
    'qtop pool w1@host grow 2',
    'qtop pool w1 shrink 1          (w1 is enough when only one running worker is w1@...)',
    'An autoscaling worker refuses: adjust its range with qtop autoscale instead.',
  ])
    .argument('<worker>', 'worker node name')
    .addArgument(new Argument('<direction>', 'grow or shrink').choices(['grow', 'shrink']))
    .argument('<n>', 'number of processes')
    .action((worker: string, direction: string, n: string, _opts: object, cmd: Command) =>
      startAction(io, cmd, direction === 'grow' ? poolGrow : poolShrink, () => ({
        worker,
        n: wholeNumber('N', n, 1),
      })),
    );

  controlCommand(program, 'autoscale', "set one worker's autoscale range (worker started with --autoscale)", [
    'qtop autoscale w1@host 10 2    at most 10 processes, at least 2',
  ])
    .argument('<worker>', 'worker node name')
    .argument('<max>', 'most processes')
    .argument('<min>', 'fewest processes')
    .action((worker: string, max: string, min: string, _opts: object, cmd: Command) =>
      startAction(io, cmd, autoscale, () => {
        const hi = wholeNumber('MAX', max, 1);
        const lo = wholeNumber('MIN', min, 0);
        if (lo > hi) throw new UsageError(`MIN (${lo}) must not exceed MAX (${hi})`);
        return { worker, max: hi, min: lo };
      }),
    );

  workerOption(
    controlCommand(program, 'rate-limit', 'set the rate limit of a task name on workers', [
      'qtop rate-limit app.add 10/m',
      'qtop rate-limit app.add 5/s -w w1',
      'qtop rate-limit app.add none   remove the limit',
    ]),
  )
    .argument('<task-name>', 'registered task name')
    .argument('<rate>', "tasks per s, m or h (10/m, 5/s, 100/h, 2), or 'none'")
    .action((task: string, rate: string, opts: WorkerFlags, cmd: Command) =>
      startAction(io, cmd, rateLimit, () => ({
        taskName: task,
        rate: rate === 'none' || rate === 'off' ? null : rate,
        destination: destination(opts.worker),
      })),
    );

  workerOption(
    controlCommand(program, 'time-limit', 'set the soft and hard time limits of a task name on workers', [
      'qtop time-limit app.sleepy 60 120',
      'qtop time-limit app.sleepy none 300 -w w1',
    ]),
  )
    .argument('<task-name>', 'registered task name')
    .argument('<soft>', "soft limit in seconds, or 'none'")
    .argument('<hard>', "hard limit in seconds, or 'none'")
    .action((task: string, soft: string, hard: string, opts: WorkerFlags, cmd: Command) =>
      startAction(io, cmd, timeLimit, () => ({
        taskName: task,
        soft: secondsOrNone('SOFT', soft),
        hard: secondsOrNone('HARD', hard),
        destination: destination(opts.worker),
      })),
    );

  workerOption(
    controlCommand(program, 'events', 'turn task events on or off (celery control enable_events)', [
      'qtop events on             workers started without -E start sending task events',
      'qtop events off -w w2',
    ]),
  )
    .addArgument(new Argument('<state>', 'on or off').choices(['on', 'off']))
    .action((state: string, opts: WorkerFlags, cmd: Command) =>
      startAction(io, cmd, state === 'on' ? eventsOn : eventsOff, () => ({
        destination: destination(opts.worker),
      })),
    );

  workerOption(
    controlCommand(program, 'ping', 'which workers answer (allowed with --read-only)', [
      'qtop ping',
      'qtop ping -w w1',
    ]),
  ).action((opts: WorkerFlags, cmd: Command) =>
    startAction(io, cmd, ping, () => ({ destination: destination(opts.worker) })),
  );

  controlCommand(program, 'shutdown', 'warm shutdown of one worker: it finishes running tasks, then exits', [
    'qtop shutdown w1@host --confirm w1@host',
    'qtop shutdown w1@host --confirm w1@host --wait 60   watch up to 60 s for it to leave',
  ])
    .argument('<worker>', 'worker node name')
    .option('--confirm <worker>', 'the worker name again, to confirm')
    .option('--wait <s>', 'how long to watch for the worker to leave (default: --timeout)')
    .action((worker: string, opts: { confirm?: string; wait?: string }, cmd: Command) => {
      const wait = opts.wait === undefined ? undefined : Number(opts.wait);
      const shutdownWaitMs = wait === undefined ? undefined : wait * 1000;
      const confirm = async () =>
        opts.confirm === worker
          ? null
          : confirmRefusal(
              `this would shut down worker ${worker} (warm: running tasks finish first)`,
              worker,
            );
      return startAction(
        io,
        cmd,
        shutdown,
        () => {
          if (wait !== undefined && !(Number.isFinite(wait) && wait > 0))
            throw new UsageError('--wait must be seconds > 0');
          return { worker, active: null };
        },
        { shutdownWaitMs, confirm },
      );
    });

  workerOption(
    controlCommand(
      program,
      'inspect',
      'ask workers, read-only (as celery inspect; allowed with --read-only)',
      [
        'qtop inspect stats',
        'qtop inspect active_queues -w w1',
        "qtop inspect registered --json | jq '.details.replies'",
      ],
    ),
  )
    .addArgument(new Argument('<what>', 'what to ask').choices([...INSPECT_METHODS]))
    .action((what: string, opts: WorkerFlags, cmd: Command) =>
      start(
        io,
        cmd,
        { command: `inspect ${what}`, write: false },
        () =>
          ({ controls }) =>
            controls.inspect(what, destination(opts.worker)),
      ),
    );
}
