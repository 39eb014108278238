import type { Redis } from 'ioredis';
import { nextCronFire } from '../../src/beat/crontab.js';
import { beatDownFinding } from '../../src/hints/select/findings-beat.js';
import { defaultBeatSourceOptions, sampleBeat } from '../../src/sources/beat-source.js';
import { createModel } from '../../src/store/create-model.js';
import type { Model } from '../../src/store/model.js';
import { reduce } from '../../src/store/reducer.js';
import { selectBeat } from '../../src/store/select-beat.js';

/**
 * What the beat interop tests share: a model fed by qtop's own beat source (sampleBeat, the
 * function the collector runs at the queue cadence), sampled by hand so each test says how many
 * samples a finding took.
 */
export interface BeatWatch {
  model: Model;
  /** One sample of the RedBeat keys into the model; returns the view after it. */
  sample(): Promise<ReturnType<typeof selectBeat>>;
  /** The "beat is down" finding now, or null. */
  down(): ReturnType<typeof beatDownFinding>;
}

export function watchBeat(redis: Redis): BeatWatch {
  const model = createModel(Date.now());
  return {
    model,
    async sample() {
      reduce(model, await sampleBeat(redis, defaultBeatSourceOptions, Date.now()));
      return selectBeat(model, Date.now());
    },
    down: () => beatDownFinding(selectBeat(model, Date.now())),
  };
}

/** The next minute boundary after `ms`: where a `crontab()` (every minute) entry is due. */
export const nextMinute = (ms: number) =>
  nextCronFire({ minute: '*', hour: '*', dayOfWeek: '*', dayOfMonth: '*', monthOfYear: '*' }, ms)!;
