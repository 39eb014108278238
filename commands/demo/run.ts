/**
 * `qtop demo`: a private cluster with traffic, the live screen on it, and nothing left behind.
 * Start order: redis-server, then the workers and the producer (or the simulator), then the
 * screen; stop order is the reverse, on q, Ctrl-C, SIGTERM, SIGHUP or `--duration`.
 */
import { exitCodes } from '../../src/base/exit-codes.js';
import { type GlobalFlags, resolveConfig } from '../config/config.js';
import type { FileLayer } from '../config/profiles.js';
import type { CliIo } from '../shared/io.js';
import { UsageError } from '../shared/usage-error.js';
import { checkPrereqs, demoFiles, missingFileMessage, missingMessage } from './env.js';
import { createDemoProcs, type DemoProcs, type DemoRedis, startDemoRedis } from './procs.js';

/** `qtop demo`'s own flags. */
export interface DemoFlags {
  simulated?: boolean;
  printUrl?: boolean;
  /** Seconds until the demo stops by itself. */
  durationSec?: number;
}

/** Stops for what the demo started besides processes (producer, simulator), run at the end. */
type Stops = (() => Promise<void>)[];

const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The demo's cluster is its own: a config profile's broker or key prefix must not redirect the screen. */
const noFileLayer: FileLayer = {
  file: null,
  profile: null,
  chosenBy: null,
  values: {},
  secrets: { broker: null, backend: null },
};

class Interrupted extends Error {}

/**
 * Start the workers and traffic (or the simulator) on `redis`; resolve with one line per part for
 * the start message. Each part registers its stop in `stops` as soon as it exists, so an
 * interrupt or a failure half-way still stops it.
 */
async function startCluster(
  redis: DemoRedis,
  procs: DemoProcs,
  simulated: boolean,
  stops: Stops,
): Promise<string[]> {
  if (simulated) {
    // Loaded lazily: a real demo never reads sim/.
    const { startSimulatedCluster } = await import('./simulated.js');
    const sim = await startSimulatedCluster(redis.url);
    stops.push(() => sim.stop());
    return [`simulated workers ${sim.workers.join(', ')} (wire-level simulator, no processes)`];
  }
  const { spawnDemoWorkers, waitWorkersReady } = await import('./workers.js');
  const { startDemoTraffic } = await import('./traffic.js');
  const workers = spawnDemoWorkers(procs, redis.url);
  // Traffic starts while the workers boot: the screen opens on queues that already hold work.
  const traffic = await startDemoTraffic(redis.url);
  stops.push(() => traffic.stop());
  await waitWorkersReady(redis.url, workers);
  return workers.map((w) => `celery worker ${w.hostname} pid ${w.pid}`);
}

/** Run the demo; `flags` are the global flags plus the demo's own. */
export async function runDemo(flags: GlobalFlags & DemoFlags, io: CliIo): Promise<void> {
  const simulated = flags.simulated === true;
  const missing =
    missingFileMessage(demoFiles(simulated)) ?? missingMessage(checkPrereqs(io.env.PATH), simulated);
  if (missing) {
    io.stderr.write(`qtop: ${missing}\n`);
    io.setExitCode(exitCodes.usage);
    return;
  }
  if (!flags.printUrl && !io.stdout.isTTY) {
    throw new UsageError(
      'stdout is not a terminal: qtop demo --print-url runs the cluster without the screen',
    );
  }

  let phase: 'start' | 'screen' | 'wait' = 'start';
  let stopSignal: NodeJS.Signals | null = null;
  let resolveInterrupted: (signal: NodeJS.Signals) => void = () => {};
  const interrupted = new Promise<NodeJS.Signals>((resolve) => {
    resolveInterrupted = resolve;
  });
  const interrupt = (signal: NodeJS.Signals) => {
    stopSignal ??= signal;
    resolveInterrupted(signal);
  };
  // While the screen runs it takes the signal itself (views/render) and the demo stops after it.
  const onSignal = (signal: NodeJS.Signals) => {
    if (phase !== 'screen') interrupt(signal);
  };
  for (const signal of signals) process.on(signal, onSignal);
  const abortable = <T>(step: Promise<T>): Promise<T> =>
    Promise.race([
      step,
      interrupted.then((signal) => {
        throw new Interrupted(signal);
      }),
    ]);

  const procs = createDemoProcs();
  const stops: Stops = [];
  try {
    io.stderr.write(
      `qtop demo: starting redis-server and ${simulated ? 'a simulated cluster' : '3 Celery workers'}\n`,
    );
    const redis = await abortable(startDemoRedis(procs));
    const parts = await abortable(startCluster(redis, procs, simulated, stops));
    const lines = [`redis-server pid ${redis.pid} on ${redis.url}`, ...parts, `files in ${procs.dir}`];
    io.stderr.write(lines.map((line) => `qtop demo: ${line}\n`).join(''));
    const timer =
      flags.durationSec === undefined
        ? undefined
        : setTimeout(() => {
            // Ends the screen exactly as a SIGTERM would; headless, it resolves the wait below.
            if (phase === 'screen') process.emit('SIGTERM', 'SIGTERM');
            else interrupt('SIGTERM');
          }, flags.durationSec * 1000);
    try {
      if (flags.printUrl) {
        io.stdout.write(`${redis.url}\n`);
        phase = 'wait';
        await interrupted;
      } else {
        const demoFlags = { ...flags, broker: redis.url, backend: redis.url, keyprefix: undefined };
        const env = { ...io.env, QTOP_KEYPREFIX: undefined }; // the demo's workers use no prefix
        const config = resolveConfig({ ...demoFlags, label: flags.label ?? 'demo' }, env, noFileLayer);
        const { runTui } = await import('../live/tui-run.js');
        // A signal that came while the screen's code loaded must not be lost behind it.
        if (stopSignal) throw new Interrupted(stopSignal);
        phase = 'screen';
        await runTui(config, io);
      }
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    io.setExitCode(exitCodes.interrupted);
  } finally {
    phase = 'start';
    await Promise.all(stops.map((stop) => stop()));
    await procs.stopAll();
    for (const signal of signals) process.off(signal, onSignal);
    io.stderr.write(`qtop demo: stopped everything it started and removed ${procs.dir}\n`);
  }
}
