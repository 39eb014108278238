/** A usage error: printed as one line, exit code `usage` (src/base/exit-codes.ts). */
export class UsageError extends Error {}
