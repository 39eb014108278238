import { describe, expect, it } from 'vitest';
import { splitSlots } from '../../src/hints/maths/split-slots.js';
import { formatPerSec, slotsText } from '../../views/present/hint-lines.js';

describe('hint cells', () => {
  it('slots: whole, one decimal, a sliver of a shared pool, unknown', () => {
    expect(slotsText(4)).toBe('4');
    expect(slotsText(0)).toBe('0');
    expect(slotsText(1.25)).toBe('1.3');
    expect(slotsText(0.0146)).toBe('<0.1');
    expect(slotsText(null)).toBe('-');
  });

  it('rates keep two significant digits below 10', () => {
    expect(formatPerSec(0.0971)).toBe('0.097');
    expect(formatPerSec(3.1472)).toBe('3.1');
    expect(formatPerSec(0)).toBe('0');
  });

  it('splits slots evenly, the first consumers taking the remainder, and never a zero', () => {
    expect(splitSlots(5, ['a', 'b'])).toEqual([
      { worker: 'a', n: 3 },
      { worker: 'b', n: 2 },
    ]);
    expect(splitSlots(1, ['a', 'b', 'c'])).toEqual([{ worker: 'a', n: 1 }]);
    expect(splitSlots(3, [])).toEqual([]);
  });
});
