/** The hint targets when nobody sets them: drain within 5 minutes, queue wait under 30 s, 10 s of samples before answering. */
export const hintsDefaults = { targetSec: 300, waitTargetSec: 30, windowSec: 10 };
