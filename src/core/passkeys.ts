// What a first view needs of passkeys: whether the browser has WebAuthn, conditional UI, the
// URLs of a ceremony. The ceremonies themselves (core/passkey-ceremony.ts) are a chunk that loads
// with the first passkey action, or as soon as one looks likely (warmUpWebAuthn), and brings
// @simplewebauthn/browser with it. Plain TypeScript (no Lit); importing this module touches no
// DOM global.
import type { AuthenticationResponseJSON } from '@simplewebauthn/browser';
import { AuthError, type TokenSet, type User } from '../contract/index.js';
import type { CallOptions, Ceremony, CeremonyResult, PasskeyUrls } from './passkey-ceremony.js';
import type { PasskeySettings } from './options.js';
import { devWarn } from './util/dev.js';
import { onceUnlessFailed } from './util/once.js';

export type { CalmReason, Ceremony, CeremonyResult, PasskeyUrls, WebAuthnBrowser } from './passkey-ceremony.js';

/** The passkey URLs of a configuration (`configure({ passkeys })`). */
export type PasskeyEndpoints = PasskeySettings;

type Ceremonies = typeof import('./passkey-ceremony.js');

/** Loads the ceremony code once; a failed load (offline) is tried again next time. */
const ceremonies = onceUnlessFailed((): Promise<Ceremonies> => import('./passkey-ceremony.js'));

/** The ceremony code, or `network` when its chunk cannot load (the person may try again). */
async function withCeremonies<T>(run: (code: Ceremonies) => Promise<CeremonyResult<T>>): Promise<CeremonyResult<T>> {
  let code: Ceremonies;
  try {
    code = await ceremonies();
  } catch (cause) {
    return { data: null, error: new AuthError('network', { providerCode: 'chunk_not_loaded', cause }), calm: null };
  }
  return run(code);
}

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

/** True where the browser offers passkeys in input autofill (conditional mediation). */
export async function conditionalMediationAvailable(): Promise<boolean> {
  const PKC = globalThis.PublicKeyCredential as (typeof PublicKeyCredential & { isConditionalMediationAvailable?: () => Promise<boolean> }) | undefined;
  if (typeof PKC?.isConditionalMediationAvailable !== 'function') return false;
  try {
    return await PKC.isConditionalMediationAvailable();
  } catch {
    return false;
  }
}

/** The input autofill offers passkeys in: `autocomplete` ending in `webauthn` (as the spec and the library ask). */
export const WEBAUTHN_INPUT = 'input[autocomplete$="webauthn" i]';

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

/** The error for missing URLs, named after the attributes and settings that would fix it. */
export function missingUrls(ceremony: Ceremony): AuthError {
  const settings = ceremony === 'registration' ? 'passkeys.optionsUrl / passkeys.verifyUrl' : 'passkeys.authenticationOptionsUrl / passkeys.authenticationVerifyUrl';
  devWarn(`Passkey ${ceremony} needs the options-url and verify-url attributes, or ${settings} in configure().`);
  return new AuthError('config', { providerCode: 'missing_passkey_urls' });
}


/**
 * Registers a passkey for the signed-in person: options → `startRegistration` → verify.
 * Must be started from a user gesture (Safari refuses WebAuthn otherwise).
 */
export function registerPasskey(options: CallOptions & { urls: PasskeyUrls }): Promise<CeremonyResult<{ credentialId: string }>> {
  return withCeremonies((code) => code.registerPasskey(options));
}

/**
 * Asks the authenticator for an assertion: options → `startAuthentication`. With `autofill`,
 * the request waits for the person to pick a passkey in an input's autofill (conditional UI).
 */
export function requestAssertion(options: CallOptions & { urls: PasskeyUrls; autofill?: boolean }): Promise<CeremonyResult<AuthenticationResponseJSON>> {
  return withCeremonies((code) => code.requestAssertion(options));
}

/** Posts the assertion; the answer must carry a session. */
export function verifyAssertion(options: CallOptions & { urls: PasskeyUrls; assertion: AuthenticationResponseJSON }): Promise<CeremonyResult<TokenSet & { user: User }>> {
  return withCeremonies((code) => code.verifyAssertion(options));
}
