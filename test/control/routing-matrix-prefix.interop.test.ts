import { describe } from 'vitest';
import { describeMatrix, SETUPS } from '../helpers/routing-matrix.js';
import { celeryVersions } from '../helpers/shared-trees.js';

// The routing matrix (test/helpers/routing-matrix.ts) with key prefixes: the broker's
// global_keyprefix, and on Celery 5.6 the result backend's too (5.2 has no such option).
describe.each(celeryVersions())('routing matrix, Celery %s', (celery) => {
  describeMatrix(celery, celery === '5.2' ? SETUPS.keyprefix : SETUPS.backendPrefix);
});
