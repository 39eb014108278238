import { describe } from 'vitest';
import { describeMatrix, SETUPS } from '../helpers/routing-matrix.js';
import { celeryVersions } from '../helpers/shared-trees.js';

// The routing matrix (test/helpers/routing-matrix.ts) for default routing and the setups that
// change key names: priorities with sep ':', the broker's and (Celery >= 5.3) the backend's prefix.
describe.each(celeryVersions())('routing matrix, Celery %s', (celery) => {
  describeMatrix(celery, SETUPS.default);
  describeMatrix(celery, SETUPS.priority);
  describeMatrix(celery, celery === '5.2' ? SETUPS.keyprefix : SETUPS.backendPrefix);
});
