import { describe } from 'vitest';
import { describeMatrix, SETUPS } from '../helpers/routing-matrix.js';
import { celeryVersions } from '../helpers/shared-trees.js';

// The routing matrix (test/helpers/routing-matrix.ts) for Celery's default routing and for
// priorities as Celery's own recipe sets them up (sep ':', 10 steps).
describe.each(celeryVersions())('routing matrix, Celery %s', (celery) => {
  describeMatrix(celery, SETUPS.default);
  describeMatrix(celery, SETUPS.priority);
});
