/** A page stand-in for Node: an address bar, recorded navigations and a visibility switch. */
export declare function testEnvironment(url?: string | null): {
    current: string | null;
    navigations: string[];
    isHidden: boolean;
    url: () => string | null;
    navigate: (to: string) => undefined;
    replaceUrl: (to: string) => undefined;
    hidden: () => boolean;
    onVisible: (listener: () => void) => () => boolean;
    setHidden(hidden: boolean): void;
};
/**
 * Waits until `check()` holds, polling every 10 ms of real time (also under fake timers). The
 * timeout only bounds a condition that never comes; it is no guess at how fast the machine is,
 * so keep it generous: CI runs this on 2 loaded cores.
 */
export declare function until(check: () => boolean, timeout?: number, what?: string): Promise<void>;
