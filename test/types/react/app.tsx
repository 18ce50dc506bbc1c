// The React type test: both ways of using the elements type-check, and every `@ts-expect-error`
// line is a mistake the types must catch (were the types loose, the directive would be unused,
// which is an error of its own). Never run; `tsc --noEmit` only.
import { useRef, useState } from 'react';
import 'auth-elements/define';
import type { AuthChangeEvent, AuthErrorCode, AuthLogin as AuthLoginElement, Session } from 'auth-elements';
import {
  AuthConfig,
  AuthLogin,
  AuthOtp,
  AuthPasskey,
  AuthPassword,
  AuthProfile,
  AuthSocial,
  AuthUser,
  AuthWebauthnRegister,
  type AuthErrorEvent,
  type AuthStateChangeEvent,
} from 'auth-elements/react';

/** The typed wrappers (@lit/react): camel-case props and listeners. */
export function Wrapped() {
  const login = useRef<AuthLoginElement>(null);
  const [session, setSession] = useState<Session | null>(null);
  const onChange = (event: AuthStateChangeEvent) => setSession(event.detail.session);
  const onError = (event: AuthErrorEvent): AuthErrorCode => event.detail.error.code;
  return (
    <AuthConfig provider="zhuyun-idaas" baseUrl="https://idaas.example.com" clientId="my-client" storage="session" storageKey="app" onAuthStateChange={onChange} onAuthError={onError}>
      <AuthLogin ref={login} methods="password otp" view="sign-up" channel="sms" defaultRegion="1" createUser popup noAutofill className="card" onAuthOtpSent={(event) => event.detail.channel satisfies 'sms' | 'email'} />
      <AuthPassword identifier="email" view="sign-in" accountOnly onAuthStateChange={(event) => event.detail.event satisfies AuthChangeEvent} />
      <AuthOtp channel="email" createUser={false} onAuthOtpSent={(event) => event.detail.expiresIn satisfies number | undefined} />
      <AuthSocial sources="github" popup />
      <AuthPasskey optionsUrl="/passkeys/options" verifyUrl="/passkeys/verify" />
      <AuthWebauthnRegister optionsUrl="/o" verifyUrl="/v" onAuthPasskeyRegistered={(event) => event.detail.credentialId satisfies string} />
      <AuthUser profileUrl="/account" signOutRedirect="/" lang="zh-CN" />
      <AuthProfile defaultRegion="1" credentialsUrl="/passkeys" onAuthPasskeyRegistered={(event) => event.detail.credentialId satisfies string} onAuthStateChange={(event) => event.detail.session} />
      <p>{session?.user.id}</p>

      {/* @ts-expect-error: `view` is 'sign-in' | 'sign-up' */}
      <AuthLogin view="bogus" />
      {/* @ts-expect-error: `popup` is a boolean */}
      <AuthSocial popup="yes" />
      {/* @ts-expect-error: the views' internals are not props */}
      <AuthLogin auth={null} />
      {/* @ts-expect-error: no such property */}
      <AuthOtp baseUrl="https://idaas.example.com" />
      {/* @ts-expect-error: <auth-profile> sends its codes without an auth-otp-sent */}
      <AuthProfile onAuthOtpSent={() => undefined} />
      {/* @ts-expect-error: <auth-user> sends no codes */}
      <AuthUser onAuthOtpSent={() => undefined} />
      {/* @ts-expect-error: an auth-state-change carries { event, session }, not { error } */}
      <AuthPassword onAuthStateChange={(event) => event.detail.error} />
      {/* @ts-expect-error: an auth-error's detail is { error } */}
      <AuthConfig onAuthError={(event: CustomEvent<{ credentialId: string }>) => event} />
    </AuthConfig>
  );
}

/** The bare tags, as React 19 binds them: attributes, properties, `onauth-…` listeners. */
export function Native() {
  const login = useRef<AuthLoginElement>(null);
  return (
    <auth-config provider="oidc" issuer="https://id.example.com" client-id="spa" access-key="k" storage-key="app" onauth-state-change={(event) => event.detail.session satisfies Session | null} onauth-error={(event) => event.detail.error.code}>
      <auth-login ref={login} methods="password otp" view="sign-in" default-region="1" no-autofill create-user onauth-otp-sent={(event) => event.detail.channel} />
      <auth-password identifier="phone" account onauth-state-change={(event) => event.detail.event} />
      <auth-otp channel="sms" defaultRegion="86" />
      <auth-social sources="github wx_open" popup />
      <auth-passkey options-url="/o" verify-url="/v" />
      <auth-webauthn-register options-url="/o" verify-url="/v" onauth-passkey-registered={(event) => event.detail.credentialId} />
      <auth-user profile-url="/account" sign-out-redirect="/" />
      <auth-profile credentials-url="/passkeys" options-url="/o" onauth-passkey-registered={(event) => event.detail.credentialId} />

      {/* @ts-expect-error: `view` is 'sign-in' | 'sign-up' */}
      <auth-login view="bogus" />
      {/* @ts-expect-error: `storage` is local, session or memory */}
      <auth-config storage="cookie" />
      {/* @ts-expect-error: an attribute is a string */}
      <auth-otp default-region={86} />
      {/* @ts-expect-error: the detail of auth-passkey-registered is { credentialId } */}
      <auth-webauthn-register onauth-passkey-registered={(event) => event.detail.session} />
      {/* @ts-expect-error: the camel-case listener is the wrappers' */}
      <auth-login onAuthStateChange={() => undefined} />
    </auth-config>
  );
}
