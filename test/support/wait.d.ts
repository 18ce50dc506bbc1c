/** Resolves after `ms` of real time, whatever fake timers a test installed. */
export declare function realDelay(ms: number): Promise<void>;
/**
 * Waits until `condition` holds, checking every `interval` ms. The timeout is a failure bound
 * for a condition that never comes, not a guess at how long the machine needs: keep it generous.
 */
export declare function waitFor(condition: () => boolean | Promise<boolean>, what: string, { timeout, interval }?: {
    timeout?: number | undefined;
    interval?: number | undefined;
}): Promise<void>;
/**
 * `promise`, or a failure if it has not settled after `timeout` ms of real time: a deadlock
 * detector. A deadlock never settles, so the bound says nothing about speed; keep it generous.
 */
export declare function settlesWithin<T>(promise: Promise<T>, what: string, timeout?: number): Promise<T>;
