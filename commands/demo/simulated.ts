/**
 * `qtop demo --simulated`: the wire-level simulator (sim/simulator.mjs) in place of real
 * workers, for machines with redis-server but no Celery. It is plain JavaScript outside dist/
 * (the benchmarks use it too), shipped in the package and loaded from its root at run time.
 */
import { pathToFileURL } from 'node:url';
import { simulatorPath } from './env.js';

/** The part of sim/simulator.d.mts the demo uses. */
interface SimulatorHandle {
  workers: string[];
  stop(): Promise<void>;
}

interface SimulatorModule {
  startSimulator(options: Record<string, unknown>): Promise<SimulatorHandle>;
}

/**
 * Start a simulated cluster on `brokerUrl` (the demo's own Redis): 3 workers, 4 queues of which
 * the last has no consumer, failures with retries, priorities and ETA tasks; until `stop()`.
 */
export async function startSimulatedCluster(brokerUrl: string): Promise<SimulatorHandle> {
  // run.ts checked the file exists (demoFiles) before starting redis-server.
  const file = simulatorPath();
  const simulator = (await import(pathToFileURL(file).href)) as SimulatorModule;
  return simulator.startSimulator({
    broker: brokerUrl,
    workers: 3,
    concurrency: 2,
    queues: 4,
    idleQueues: 1,
    rate: 6,
    runtime: 'lognormal:0.4:1',
    failureRate: 0.1,
    retryShare: 0.4,
    priorityRate: 0.2,
    etaRate: 0.03,
    duration: Number.POSITIVE_INFINITY,
    results: true,
    // The demo's Redis is thrown away with its temp dir; deleting keys first only slows the exit.
    clean: false,
    hostnamePrefix: 'sim',
  });
}
