// The passkey calls: the ceremonies (through core/passkey-ceremony.ts, a chunk of its own),
// conditional UI and the error for missing URLs. Only code that runs a ceremony imports this (the
// passkey controller, the registration), so none of it comes with a first view (./passkeys.ts).
import type { AuthenticationResponseJSON } from '@simplewebauthn/browser';
import { AuthError, type TokenSet, type User } from '../contract/index.js';
import type { CallOptions, Ceremony, CeremonyResult, PasskeyUrls } from './passkey-ceremony.js';
import { ceremonies, type Ceremonies } from './passkeys.js';
import { devWarn } from './util/dev.js';

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
