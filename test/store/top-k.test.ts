import { describe, expect, it } from 'vitest';
import { topK } from '../../src/store/top-k.js';

// topK must give exactly what a full sort and a slice give: the task list depends on it.

function seeded(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe('topK', () => {
  it('equals sort then slice, for every k, on seeded lists with repeated keys', () => {
    const random = seeded(7);
    for (let round = 0; round < 30; round++) {
      const n = Math.floor(random() * 300);
      // repeated keys; the index breaks ties, as the rank does in selectTasks
      const items = Array.from({ length: n }, (_, i) => ({ key: Math.floor(random() * 20), i }));
      const compare = (a: (typeof items)[0], b: (typeof items)[0]) => a.key - b.key || b.i - a.i;
      for (const k of [0, 1, 5, 50, n - 1, n, n + 3]) {
        expect(topK(items, k, compare)).toEqual([...items].sort(compare).slice(0, Math.max(0, k)));
      }
    }
  });

  it('leaves its input as it was', () => {
    const items = [3, 1, 2];
    expect(topK(items, 2, (a, b) => a - b)).toEqual([1, 2]);
    expect(items).toEqual([3, 1, 2]);
  });
});
