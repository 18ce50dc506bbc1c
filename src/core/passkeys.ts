// What a first view needs of passkeys: whether the browser has WebAuthn, and the URLs of a
// ceremony. The calls (./passkey-calls.ts) come with the code that runs a ceremony; the
// ceremonies themselves (core/passkey-ceremony.ts) are a chunk that loads with the first passkey
// action, or as soon as one looks likely (warmUpWebAuthn), and brings @simplewebauthn/browser.
// Plain TypeScript (no Lit); importing this module touches no DOM global.
import type { PasskeyUrls } from './passkey-ceremony.js';
import type { PasskeySettings } from './options.js';
import { onceUnlessFailed } from './util/once.js';

export type { CalmReason, Ceremony, CeremonyResult, PasskeyUrls, WebAuthnBrowser } from './passkey-ceremony.js';

/** The passkey URLs of a configuration (`configure({ passkeys })`). */
export type PasskeyEndpoints = PasskeySettings;

export type Ceremonies = typeof import('./passkey-ceremony.js');

/** Loads the ceremony code once; a failed load (offline) is tried again next time. */
export const ceremonies = onceUnlessFailed((): Promise<Ceremonies> => import('./passkey-ceremony.js'));

/** Starts loading the WebAuthn code when a click looks likely (hover, focus), so the ceremony the click starts begins sooner. */
export function warmUpWebAuthn(): void {
  void ceremonies()
    .then((code) => code.loadWebAuthn())
    .catch(() => {});
}

/** True where this browser can run WebAuthn at all. */
export function webAuthnSupported(): boolean {
  return typeof globalThis.PublicKeyCredential === 'function' && typeof globalThis.navigator?.credentials?.get === 'function';
}

/** The element attribute wins; else the configuration's setting; null when either URL is missing. */
export function registrationUrls(attributes: { optionsUrl?: string | null; verifyUrl?: string | null }, settings?: PasskeyEndpoints | null): PasskeyUrls | null {
  return pair(attributes.optionsUrl || settings?.optionsUrl, attributes.verifyUrl || settings?.verifyUrl);
}

/** The element attribute wins; else `authenticationOptionsUrl` / `authenticationVerifyUrl`. */
export function authenticationUrls(attributes: { optionsUrl?: string | null; verifyUrl?: string | null }, settings?: PasskeyEndpoints | null): PasskeyUrls | null {
  return pair(attributes.optionsUrl || settings?.authenticationOptionsUrl, attributes.verifyUrl || settings?.authenticationVerifyUrl);
}

function pair(optionsUrl: string | undefined | null, verifyUrl: string | undefined | null): PasskeyUrls | null {
  return optionsUrl && verifyUrl ? { optionsUrl, verifyUrl } : null;
}
