// The elements as frameworks see them: one line per tag with the events it fires and its public
// properties (property → attribute; null: property only). `auth-elements/react` and
// `auth-elements/vue` derive their types (and React its wrappers) from this table, so adding an
// element is one line here plus its wrapper export in src/react/index.ts. test/node/
// frameworks.node.test.ts checks the table against custom-elements.json and scripts/entries.mjs.
// Type-only imports: they bring each element's HTMLElementTagNameMap and event map entries
// (AnyAuthElement keeps them in the emitted declarations).
import type { LitElement } from 'lit';
import type { AuthConfig } from '../components/auth-config/auth-config.js';
import type { AuthLogin } from '../components/auth-login/auth-login.js';
import type { AuthOtp } from '../components/auth-otp/auth-otp.js';
import type { AuthPasskey } from '../components/auth-passkey/auth-passkey.js';
import type { AuthPassword } from '../components/auth-password/auth-password.js';
import type { AuthProfile } from '../components/auth-profile/auth-profile.js';
import type { AuthSocial } from '../components/auth-social/auth-social.js';
import type { AuthUser } from '../components/auth-user/auth-user.js';
import type { AuthWebauthnRegister } from '../components/auth-webauthn-register/auth-webauthn-register.js';

/** Any element of the package. */
export type AnyAuthElement = AuthConfig | AuthLogin | AuthOtp | AuthPasskey | AuthPassword | AuthProfile | AuthSocial | AuthUser | AuthWebauthnRegister;

const STATE = 'auth-state-change';
const ERROR = 'auth-error';

export const ELEMENT_API = table({
  // Plus every backend setting (`settings`): attribute = the property in kebab case, except these.
  'auth-config': { events: [STATE, ERROR], props: { provider: 'provider', storage: 'storage', storageKey: 'storage-key', options: null }, settings: { publishableKey: 'access-key' } },
  'auth-login': { events: [STATE, ERROR, 'auth-otp-sent'], props: { methods: 'methods', view: 'view', identifier: 'identifier', channel: 'channel', defaultRegion: 'default-region', createUser: 'create-user', sources: 'sources', optionsUrl: 'options-url', verifyUrl: 'verify-url', noAutofill: 'no-autofill', popup: 'popup' } },
  'auth-user': { events: [STATE, ERROR], props: { profileUrl: 'profile-url', signOutRedirect: 'sign-out-redirect' } },
  'auth-profile': { events: [STATE, ERROR, 'auth-passkey-registered'], props: { defaultRegion: 'default-region', optionsUrl: 'options-url', verifyUrl: 'verify-url', credentialsUrl: 'credentials-url' } },
  'auth-password': { events: [STATE, ERROR], props: { identifier: 'identifier', defaultRegion: 'default-region', view: 'view', accountOnly: 'account' } },
  'auth-otp': { events: [STATE, ERROR, 'auth-otp-sent'], props: { channel: 'channel', defaultRegion: 'default-region', createUser: 'create-user' } },
  'auth-social': { events: [STATE, ERROR], props: { sources: 'sources', popup: 'popup' } },
  'auth-webauthn-register': { events: ['auth-passkey-registered', ERROR], props: { optionsUrl: 'options-url', verifyUrl: 'verify-url' } },
  'auth-passkey': { events: [STATE, ERROR], props: { optionsUrl: 'options-url', verifyUrl: 'verify-url', noAutofill: 'no-autofill' } },
});

/** A row of the table: the element's events, and its properties with their attributes. */
interface Row<E extends HTMLElement> {
  events: readonly (keyof HTMLElementEventMap)[];
  props: { readonly [P in keyof E]?: string | null };
  settings?: { readonly [P in keyof E]?: string };
}

/** Keeps the literal types of the table and checks every row against its element's class. */
function table<const T extends { [Tag in keyof T]: Tag extends keyof HTMLElementTagNameMap ? Row<HTMLElementTagNameMap[Tag]> : never }>(rows: T): T {
  return rows;
}

type Api = typeof ELEMENT_API;

/** Every tag of the package: `'auth-config' | 'auth-login' | …`. */
export type AuthElementTag = keyof Api;
/** The element class of a tag. */
export type AuthElementOf<T extends AuthElementTag> = HTMLElementTagNameMap[T];
/** The events a tag fires: `'auth-state-change' | 'auth-error' | …`. */
export type AuthEventName<T extends AuthElementTag> = Api[T]['events'][number];

/** `<auth-config>`'s backend settings: its public properties beyond the listed ones. */
type SettingName = Exclude<keyof AuthConfig, keyof LitElement | 'client' | keyof Api['auth-config']['props']>;
type SettingsOf<T extends AuthElementTag> = Api[T] extends { settings: object } ? SettingName : never;

/** The public properties of a tag (`baseUrl`, `defaultRegion`, …). */
export type AuthPropName<T extends AuthElementTag> = (keyof Api[T]['props'] | SettingsOf<T>) & keyof AuthElementOf<T> & string;
/** The public properties of a tag, typed as the element declares them, all optional. */
export type AuthElementProps<T extends AuthElementTag> = Partial<Pick<AuthElementOf<T>, AuthPropName<T>>>;

type Kebab<S extends string> = S extends `${infer Head}${infer Tail}` ? `${Head extends Lowercase<Head> ? Head : `-${Lowercase<Head>}`}${Kebab<Tail>}` : S;
type Listed<T extends AuthElementTag, P> = Api[T] extends { settings: infer S } ? (P extends keyof S ? S[P] : Kebab<P & string>) : never;
/** The attribute of a property: the table's, else (a backend setting) its kebab-case name. */
type AttributeOf<T extends AuthElementTag, P> = P extends keyof Api[T]['props'] ? Api[T]['props'][P] : Listed<T, P>;
/** An attribute's value: a string type keeps its literals (`view="sign-up"`); a boolean is present or absent. */
type AttributeValue<V> = NonNullable<V> extends boolean ? boolean : NonNullable<V> extends string ? NonNullable<V> : string;
/** The attributes of a tag as markup writes them (`base-url`, `default-region`, …). */
export type AuthElementAttributes<T extends AuthElementTag> = {
  [P in AuthPropName<T> as AttributeOf<T, P> & string]?: AttributeValue<AuthElementOf<T>[P]>;
};

/** Both spellings markup may use: properties (`:baseUrl`, `baseUrl={…}`) and attributes (`base-url`). */
export type AuthMarkupProps<T extends AuthElementTag> = AuthElementProps<T> & AuthElementAttributes<T>;

type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<S>;
/** The event type of an event name: `CustomEvent<{ event, session }>` for `auth-state-change`. */
export type AuthEvent<N extends keyof HTMLElementEventMap> = HTMLElementEventMap[N];
/** `auth-state-change`: `CustomEvent<{ event, session }>`. */
export type AuthStateChangeEvent = AuthEvent<'auth-state-change'>;
/** `auth-error`: `CustomEvent<{ error }>`. */
export type AuthErrorEvent = AuthEvent<'auth-error'>;
/** `auth-otp-sent`: `CustomEvent<{ channel, expiresIn }>`. */
export type AuthOtpSentEvent = AuthEvent<'auth-otp-sent'>;
/** `auth-passkey-registered`: `CustomEvent<{ credentialId }>`. */
export type AuthPasskeyRegisteredEvent = AuthEvent<'auth-passkey-registered'>;
/** Camel-case listener props of a tag: `onAuthStateChange`, `onAuthError`, `onAuthOtpSent`… */
export type AuthEventProps<T extends AuthElementTag> = {
  [N in AuthEventName<T> as `on${Pascal<N>}`]?: (event: AuthEvent<N>) => void;
};
/** `auth-state-change` → `onAuthStateChange`, at run time. */
export function eventPropOf(name: string): string {
  return `on${name.replace(/(^|-)(\w)/g, (_, _dash, letter: string) => letter.toUpperCase())}`;
}
