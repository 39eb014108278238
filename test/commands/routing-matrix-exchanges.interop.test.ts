import { describe } from 'vitest';
import { describeMatrix, SETUPS } from '../helpers/routing-matrix.js';
import { celeryVersions } from '../helpers/shared-trees.js';

// The routing matrix (test/helpers/routing-matrix.ts) for the setups with named exchanges.
describe.each(celeryVersions())('routing matrix, Celery %s', (celery) => {
  describeMatrix(celery, SETUPS.direct);
  describeMatrix(celery, SETUPS.topic);
});
