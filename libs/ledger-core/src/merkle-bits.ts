// Bit arithmetic on tree sizes. JavaScript's bitwise operators truncate to 32 bits, and a log may
// outgrow 2^32 leaves, so everything here works on any safe integer (< 2^53) with plain arithmetic.

export function isTreeSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** 2^k for 0 ≤ k ≤ 53. */
export function pow2(k: number): number {
  return 2 ** k;
}

/** Number of set bits. */
export function popcount(n: number): number {
  let count = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) count += x % 2;
  return count;
}

/** Number of bits needed to write n (0 for 0). */
export function bitLength(n: number): number {
  let bits = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) bits++;
  return bits;
}

/** Number of trailing zero bits of n > 0. */
export function trailingZeros(n: number): number {
  let zeros = 0;
  for (let x = n; x > 0 && x % 2 === 0; x /= 2) zeros++;
  return zeros;
}

/** floor(n / 2^k). */
export function shiftRight(n: number, k: number): number {
  return Math.floor(n / pow2(k));
}

/** Bit k of n, as 0 or 1. */
export function bitAt(n: number, k: number): number {
  return shiftRight(n, k) % 2;
}

/**
 * Splits the leaf range [start, end) into perfect subtrees, left to right, largest first.
 * `start` must be aligned to the largest subtree that fits, which holds for every range a tree
 * or proof asks for (a prefix [0, n), or the part of an aligned sibling inside the tree).
 */
export function perfectSubtrees(start: number, end: number): Array<{ level: number; index: number }> {
  const out: Array<{ level: number; index: number }> = [];
  let position = start;
  while (position < end) {
    let level = 0;
    while (position % pow2(level + 1) === 0 && position + pow2(level + 1) <= end) level++;
    out.push({ level, index: position / pow2(level) });
    position += pow2(level);
  }
  return out;
}
