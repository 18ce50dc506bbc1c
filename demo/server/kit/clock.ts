// Time for the policies and tokens: every one takes a `now` instead of reading Date.now itself, so
// the server runs on the wall clock and a test on a clock it moves by hand.

/** Milliseconds since the epoch. */
export type Now = () => number;

/** A clock that moves only when told to (tests: expiry and lock-outs without waiting). */
export interface ManualClock {
  now: Now;
  advance(ms: number): void;
}

export function createManualClock(start = Date.now()): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
  };
}
