// `auth-elements/react`: the elements as React components, and the bare tags typed for JSX.
//
// React 19 binds `on<name>` to the DOM event named exactly `<name>`: on a bare tag,
// `onauth-state-change` works and `onAuthStateChange` listens for an event called
// `AuthStateChange`, which never fires. The wrappers (made with @lit/react's `createComponent`)
// take camel-case listeners (`onAuthStateChange`, typed with the event's detail) and set every
// other prop the element declares (`baseUrl`, `clientId`, …) as a property. Using a wrapper
// registers its tag; the bare tags need `import 'auth-elements/define'` (or one element's entry).
//
// The props and events of each element come from one table, src/frameworks/elements.ts. The
// build bundles @lit/react into this entry (it is small), so it is no dependency of the package;
// React itself is an optional peer dependency. The script-tag bundle never includes this file.
import * as React from 'react';
import { createComponent } from '@lit/react';
import { AuthConfig as AuthConfigElement } from '../components/auth-config/auth-config.js';
import { AuthLogin as AuthLoginElement } from '../components/auth-login/auth-login.js';
import { AuthOtp as AuthOtpElement } from '../components/auth-otp/auth-otp.js';
import { AuthPasskey as AuthPasskeyElement } from '../components/auth-passkey/auth-passkey.js';
import { AuthPassword as AuthPasswordElement } from '../components/auth-password/auth-password.js';
import { AuthProfile as AuthProfileElement } from '../components/auth-profile/auth-profile.js';
import { AuthSocial as AuthSocialElement } from '../components/auth-social/auth-social.js';
import { AuthUser as AuthUserElement } from '../components/auth-user/auth-user.js';
import { AuthWebauthnRegister as AuthWebauthnRegisterElement } from '../components/auth-webauthn-register/auth-webauthn-register.js';
import { defineElement } from '../components/base/define-element.js';
import {
  ELEMENT_API,
  eventPropOf,
  type AuthElementOf,
  type AuthElementProps,
  type AuthElementTag,
  type AuthEvent,
  type AuthEventName,
  type AuthEventProps,
  type AuthMarkupProps,
} from '../frameworks/elements.js';

export type {
  AnyAuthElement,
  AuthElementAttributes,
  AuthElementOf,
  AuthElementProps,
  AuthElementTag,
  AuthErrorEvent,
  AuthEvent,
  AuthEventName,
  AuthEventProps,
  AuthMarkupProps,
  AuthOtpSentEvent,
  AuthPasskeyRegisteredEvent,
  AuthStateChangeEvent,
} from '../frameworks/elements.js';

/**
 * Props of a wrapper: React's HTML attributes, the element's own properties, and camel-case
 * listeners for the events it fires.
 */
export type AuthReactProps<T extends AuthElementTag> = Omit<React.HTMLAttributes<AuthElementOf<T>>, keyof AuthElementProps<T> | keyof AuthEventProps<T>> &
  AuthElementProps<T> &
  AuthEventProps<T> &
  React.RefAttributes<AuthElementOf<T>>;

/** A wrapper component: `<AuthLogin methods="password otp" onAuthStateChange={…} />`. */
export type AuthReactComponent<T extends AuthElementTag> = React.ForwardRefExoticComponent<AuthReactProps<T>>;

/** Listeners of a bare tag as React 19 binds them: `on` + the exact event name. */
export type AuthNativeEventProps<T extends AuthElementTag> = {
  [N in AuthEventName<T> as `on${N}`]?: (event: AuthEvent<N>) => void;
};

/**
 * A bare tag's props in JSX: React's HTML attributes, the element's properties by name (React 19
 * sets them as properties once the tag is registered), its attributes as markup writes them
 * (`base-url`: right even before the tag is registered), and `onauth-…` listeners.
 */
export type AuthIntrinsicProps<T extends AuthElementTag> = React.DetailedHTMLProps<React.HTMLAttributes<AuthElementOf<T>>, AuthElementOf<T>> &
  AuthMarkupProps<T> &
  AuthNativeEventProps<T>;

/** Every tag's JSX props, for `JSX.IntrinsicElements`. */
export type AuthIntrinsicElements = { [T in AuthElementTag]: AuthIntrinsicProps<T> };

declare module 'react' {
  // React declares JSX as a namespace: augmenting it takes one.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface IntrinsicElements extends AuthIntrinsicElements {}
  }
}

/** Registers the tag (unless taken) and wraps it, with a listener prop for each event it fires. */
function wrap<T extends AuthElementTag>(tag: T, elementClass: new () => AuthElementOf<T>): AuthReactComponent<T> {
  defineElement(tag, elementClass);
  const events = Object.fromEntries(ELEMENT_API[tag].events.map((name) => [eventPropOf(name), name]));
  // @lit/react types the props with every public member of the class (the views' internals too)
  // and listeners with a plain Event; the table's type is the narrower, exact one (the type test,
  // test/types/react/, checks it).
  return createComponent({ react: React, tagName: tag, elementClass, events }) as AuthReactComponent<T>;
}

export const AuthConfig = /* @__PURE__ */ wrap('auth-config', AuthConfigElement);
export const AuthLogin = /* @__PURE__ */ wrap('auth-login', AuthLoginElement);
export const AuthUser = /* @__PURE__ */ wrap('auth-user', AuthUserElement);
export const AuthProfile = /* @__PURE__ */ wrap('auth-profile', AuthProfileElement);
export const AuthPassword = /* @__PURE__ */ wrap('auth-password', AuthPasswordElement);
export const AuthOtp = /* @__PURE__ */ wrap('auth-otp', AuthOtpElement);
export const AuthSocial = /* @__PURE__ */ wrap('auth-social', AuthSocialElement);
export const AuthWebauthnRegister = /* @__PURE__ */ wrap('auth-webauthn-register', AuthWebauthnRegisterElement);
export const AuthPasskey = /* @__PURE__ */ wrap('auth-passkey', AuthPasskeyElement);
