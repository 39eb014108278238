import { describe } from 'vitest';
import { describeFanout, describeMatrix, SETUPS } from '../helpers/routing-matrix.js';
import { celeryVersions } from '../helpers/shared-trees.js';

// The routing matrix (test/helpers/routing-matrix.ts) with the broker's global_keyprefix, and
// the fanout exchange, where qtop has nothing to move and refuses the retry.
describe.each(celeryVersions())('routing matrix, Celery %s', (celery) => {
  describeMatrix(celery, SETUPS.keyprefix);
  describeFanout(celery);
});
