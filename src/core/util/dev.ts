declare const __AUTH_ELEMENTS_DEV__: boolean | undefined;

/**
 * Dev-only warnings. Every build in dist/ defines `__AUTH_ELEMENTS_DEV__` as false, so the calls
 * are dropped there; running the source (tests, the demo) keeps them.
 */
export const DEV: boolean = typeof __AUTH_ELEMENTS_DEV__ === 'undefined' ? true : __AUTH_ELEMENTS_DEV__;

export function devWarn(message: string, ...details: unknown[]): void {
  if (DEV) console.warn(`[auth-elements] ${message}`, ...details);
}
