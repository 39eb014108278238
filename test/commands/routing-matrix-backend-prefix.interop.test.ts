import { describe } from 'vitest';
import { describeMatrix, SETUPS } from '../helpers/routing-matrix.js';
import { celeryVersions } from '../helpers/shared-trees.js';

// The routing matrix with the result backend's own global_keyprefix (Celery >= 5.3 writes
// `bk:celery-task-meta-ID`): retry from result meta must read the prefixed key.
describe.each(celeryVersions().filter((v) => v === '5.6'))('routing matrix, Celery %s', (celery) => {
  describeMatrix(celery, SETUPS.backendPrefix);
});
