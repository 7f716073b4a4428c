import { createHash } from 'node:crypto';

/** A seeded pseudo-random source in [0, 1): the same seed gives the same sequence. */
export type Random = () => number;

/** mulberry32: tiny, fast and good enough to decide which injected faults fire. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `length` hex digits derived from `parts` only, so ids do not depend on how many faults were drawn. */
export function deterministicHex(length: number, ...parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join(':')).digest('hex').slice(0, length);
}
