// Typed React components for the auth elements, made with @lit/react's `createComponent`.
//
// React 19 binds `on<name>` to the DOM event named exactly `<name>`: `onAuthStateChange` on a
// bare `<auth-password>` would listen for an event called `AuthStateChange`, which never fires.
// The wrappers below map the camel-case props to the real, hyphenated event names, and type each
// handler with the event's detail. Every other prop the element class declares (`baseUrl`,
// `clientId`, `provider`, …) is set as a property, not an attribute.
import * as React from 'react';
import { createComponent, type EventName, type WebComponentProps } from '@lit/react';
// Registers the tags (each define is guarded: a second copy on the page does not throw).
import '../../src/define.js';
import { AuthConfig as AuthConfigElement, AuthOtp as AuthOtpElement, AuthPassword as AuthPasswordElement, AuthSocial as AuthSocialElement } from '../../src/index.js';
import type { AuthErrorDetail, AuthStateChangeDetail } from '../../src/index.js';

export type AuthStateChangeEvent = CustomEvent<AuthStateChangeDetail>;
export type AuthErrorEvent = CustomEvent<AuthErrorDetail>;
export type AuthOtpSentEvent = HTMLElementEventMap['auth-otp-sent'];

/** The events every element (and `<auth-config>`) announces. */
const authEvents = {
  onAuthStateChange: 'auth-state-change' as EventName<AuthStateChangeEvent>,
  onAuthError: 'auth-error' as EventName<AuthErrorEvent>,
};

export const AuthConfig = createComponent({
  react: React,
  tagName: 'auth-config',
  elementClass: AuthConfigElement,
  events: authEvents,
});

export const AuthPassword = createComponent({
  react: React,
  tagName: 'auth-password',
  elementClass: AuthPasswordElement,
  events: authEvents,
});

export const AuthOtp = createComponent({
  react: React,
  tagName: 'auth-otp',
  elementClass: AuthOtpElement,
  events: { ...authEvents, onAuthOtpSent: 'auth-otp-sent' as EventName<AuthOtpSentEvent> },
});

export const AuthSocial = createComponent({
  react: React,
  tagName: 'auth-social',
  elementClass: AuthSocialElement,
  events: authEvents,
});

/** Native event props as React 19 binds them: `on` + the exact event name. */
interface AuthEventProps {
  'onauth-state-change'?: (event: AuthStateChangeEvent) => void;
  'onauth-error'?: (event: AuthErrorEvent) => void;
}

/**
 * Hyphenated attributes of `<auth-config>` as written in markup. React 19 sets a prop as a
 * property when the element has one by that name (`clientId`), else as an attribute (`client-id`).
 */
interface AuthConfigAttributes {
  provider?: string;
  'base-url'?: string;
  'client-id'?: string;
  'storage-key'?: string;
  storage?: 'local' | 'session' | 'memory';
}

// The bare tags in JSX, for code that uses the elements without the wrappers.
declare module 'react' {
  // React declares JSX as a namespace: augmenting it takes one.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'auth-config': WebComponentProps<AuthConfigElement> & AuthConfigAttributes & AuthEventProps;
      'auth-password': WebComponentProps<AuthPasswordElement> & AuthEventProps;
      'auth-otp': WebComponentProps<AuthOtpElement> & AuthEventProps & { 'onauth-otp-sent'?: (event: AuthOtpSentEvent) => void };
      'auth-social': WebComponentProps<AuthSocialElement> & AuthEventProps;
    }
  }
}
