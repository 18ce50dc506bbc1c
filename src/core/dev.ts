declare const __AUTH_ELEMENTS_DEV__: boolean | undefined;

/**
 * Dev-only warnings. The production builds define `__AUTH_ELEMENTS_DEV__` as false so that the
 * minifier drops every call; source, tests and ESM consumers without the define keep them.
 */
export const DEV: boolean = typeof __AUTH_ELEMENTS_DEV__ === 'undefined' ? true : __AUTH_ELEMENTS_DEV__;

export function devWarn(message: string, ...details: unknown[]): void {
  if (DEV) console.warn(`[auth-elements] ${message}`, ...details);
}
