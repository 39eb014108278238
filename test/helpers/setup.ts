import { trackFailures } from './test-logs.js';

// Every test file: remember failures so process logs are kept for them.
trackFailures();
