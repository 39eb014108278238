#!/usr/bin/env node
// The simulator's command line, kept at its old path for the benchmarks and their docs. The
// simulator itself lives in sim/ because the package ships it for `qtop demo --simulated`.
//
//   node bench/simulator.mjs --workers 50 --queues 20 --rate 200 --duration 60
import { main, simulatorDefaults, startSimulator } from '../sim/simulator.mjs';

export { simulatorDefaults, startSimulator };

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`simulator: ${error.stack ?? error}`);
    process.exit(1);
  });
}
