// Types for the auth elements in Vue 3.
//
// Vue passes a prop to a custom element as a DOM property when the element has one by that
// name (`baseUrl`, `clientId`, `provider`; force it with `.prop` in templates or a `.` prefix in
// `h()`), and `onAuthStateChange` / `@auth-state-change` listen for `auth-state-change` (Vue
// hyphenates the name). In templates, tell the compiler the tags are not Vue components:
// `compilerOptions.isCustomElement = (tag) => tag.startsWith('auth-')`; render functions (`h()`)
// need nothing.
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { AuthConfig, AuthErrorDetail, AuthOtp, AuthPassword, AuthSocial, AuthStateChangeDetail } from '../../src/index.js';

export type AuthStateChangeEvent = CustomEvent<AuthStateChangeDetail>;
export type AuthErrorEvent = CustomEvent<AuthErrorDetail>;
export type AuthOtpSentEvent = HTMLElementEventMap['auth-otp-sent'];

/** Event name → event type (no index signature: only the listed names become props). */
type EventMap<Events> = { [K in keyof Events]: Event };

/** The events every element (and `<auth-config>`) announces. */
export interface AuthEvents {
  'auth-state-change': AuthStateChangeEvent;
  'auth-error': AuthErrorEvent;
}
export interface AuthOtpEvents extends AuthEvents {
  'auth-otp-sent': AuthOtpSentEvent;
}

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
/** `auth-state-change` → `onAuthStateChange`, as `h()` props and JSX spell listeners. */
type Listeners<Events extends EventMap<Events>> = { [K in keyof Events & string as `on${Capitalize<CamelCase<K>>}`]?: (event: Events[K]) => void };

/** The element's own properties (what its class declares beyond HTMLElement's). */
type ElementProps<E extends HTMLElement> = Partial<Omit<E, keyof HTMLElement>>;

/** Props of an auth element in `h(tag, props)`. */
export type VueElementProps<E extends HTMLElement, Events extends EventMap<Events> = AuthEvents> = HTMLAttributes & ElementProps<E> & Listeners<Events> & { ref?: unknown };

/**
 * A custom element as a template component type, after the pattern of Vue's guide ("Non-Vue Web
 * Components and TypeScript"): editors and `vue-tsc` then check props and `@event` handlers.
 */
type DefineCustomElement<E extends HTMLElement, Events extends EventMap<Events> = AuthEvents> = new () => E & {
  /** @deprecated For template type checking only; not on the element. */
  $props: HTMLAttributes & ElementProps<E> & PublicProps;
  /** @deprecated For template type checking only; not on the element. */
  $emit: EmitFn<{ [K in keyof Events]: (event: Events[K]) => void }>;
};

declare module 'vue' {
  interface GlobalComponents {
    'auth-config': DefineCustomElement<AuthConfig>;
    'auth-password': DefineCustomElement<AuthPassword>;
    'auth-otp': DefineCustomElement<AuthOtp, AuthOtpEvents>;
    'auth-social': DefineCustomElement<AuthSocial>;
  }
}
