// Seeded randomness for the simulator, so a run can be repeated: a PRNG, distributions given as
// text on the command line (`lognormal:0.2:1`, `exp:0.5`, `fixed:0.1`, `uniform:0.1:2`), Poisson
// counts for arrivals, and a Zipf-like pick so a few task names and queues carry most traffic.

/** mulberry32: small, fast, good enough for load shapes. Returns floats in [0, 1). */
export function rng(seed = 1) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random) {
  // Box-Muller; 1 - u keeps log() away from 0.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Parse a distribution of seconds. `lognormal:MEAN:SIGMA` has the given mean (SIGMA is the
 * standard deviation of the underlying normal: 1 gives a long tail); `exp:MEAN`; `fixed:V`;
 * `uniform:LO:HI`. Returns `{text, mean, sample(random)}`; throws on a malformed text.
 */
export function parseDistribution(text) {
  const [kind, ...rest] = String(text).split(':');
  const nums = rest.map(Number);
  const bad = () =>
    new Error(`bad distribution '${text}' (lognormal:MEAN:SIGMA, exp:MEAN, fixed:V, uniform:LO:HI)`);
  if (nums.some((n) => !Number.isFinite(n) || n < 0)) throw bad();
  switch (kind) {
    case 'lognormal': {
      const [mean, sigma = 1] = nums;
      if (!(mean > 0) || nums.length < 1) throw bad();
      const mu = Math.log(mean) - (sigma * sigma) / 2;
      return { text, mean, sample: (random) => Math.exp(mu + sigma * normal(random)) };
    }
    case 'exp': {
      const [mean] = nums;
      if (!(mean > 0)) throw bad();
      return { text, mean, sample: (random) => -mean * Math.log(1 - random()) };
    }
    case 'fixed': {
      const [value] = nums;
      if (value === undefined) throw bad();
      return { text, mean: value, sample: () => value };
    }
    case 'uniform': {
      const [lo, hi] = nums;
      if (lo === undefined || hi === undefined || hi < lo) throw bad();
      return { text, mean: (lo + hi) / 2, sample: (random) => lo + (hi - lo) * random() };
    }
    default:
      throw bad();
  }
}

/** A Poisson-distributed count with mean `lambda` (normal approximation above 50). */
export function poisson(random, lambda) {
  if (lambda <= 0) return 0;
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(random)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

/** Pick an index in [0, n) with weight 1/(i+1)^s (s = 1: a few items carry most of the load). */
export function zipfPicker(n, s = 1) {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1) ** s;
    cumulative[i] = sum;
  }
  return (random) => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
