/** How a queue hint's slots are shared out over the workers that can grow. */

/** `n` slots over `workers` as evenly as possible (the first ones get the remainder); no zeros. */
export function splitSlots(n: number, workers: string[]): { worker: string; n: number }[] {
  if (workers.length === 0 || n <= 0) return [];
  const base = Math.floor(n / workers.length);
  const rest = n % workers.length;
  return workers.map((worker, i) => ({ worker, n: base + (i < rest ? 1 : 0) })).filter((g) => g.n > 0);
}
