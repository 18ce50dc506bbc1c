// `auth-elements/vue`: the elements in Vue 3 templates, typed.
//
// Vue passes a prop to a custom element as a DOM property when the element has one by that name
// (`:base-url.prop` or `:baseUrl` once the tag is registered), and `@auth-state-change` listens
// for `auth-state-change`. A template compiler must be told the tags are not Vue components:
// `isCustomElement` below, in `@vitejs/plugin-vue`'s `template.compilerOptions`. Importing this
// module's types adds the tags to Vue's `GlobalComponents`, so `vue-tsc` and editors check their
// props and `@event` handlers (the pattern of Vue's guide, "Non-Vue Web Components and
// TypeScript"). The tags themselves come from `auth-elements/define` (or one element's entry).
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import { ELEMENT_API, type AuthElementOf, type AuthElementTag, type AuthEvent, type AuthEventName, type AuthMarkupProps } from '../frameworks/elements.js';

// The event types for handlers; the rest of the table's types are in auth-elements/react's list.
export type { AuthElementTag, AuthEvent, AuthErrorEvent, AuthOtpSentEvent, AuthPasskeyRegisteredEvent, AuthStateChangeEvent } from '../frameworks/elements.js';

const TAGS: ReadonlySet<string> = new Set(Object.keys(ELEMENT_API));

/**
 * For `compilerOptions.isCustomElement`: true for this package's tags, so Vue renders them as
 * custom elements instead of looking for components of that name.
 *
 * @example
 * // vite.config.ts
 * vue({ template: { compilerOptions: { isCustomElement } } })
 */
export function isCustomElement(tag: string): boolean {
  return TAGS.has(tag);
}

/**
 * A tag as a template component type: its properties (camel-case, as `:prop` binds them),
 * its attributes (kebab-case, strings in markup) and its events for `@event` handlers.
 */
export type AuthVueElement<T extends AuthElementTag> = new () => AuthElementOf<T> & {
  /** @deprecated For template type checking only; not on the element. */
  $props: HTMLAttributes & AuthMarkupProps<T> & PublicProps;
  /** @deprecated For template type checking only; not on the element. */
  $emit: EmitFn<{ [N in AuthEventName<T>]: (event: AuthEvent<N>) => void }>;
};

/** Every tag's template component type, for `GlobalComponents`. */
export type AuthGlobalComponents = { [T in AuthElementTag]: AuthVueElement<T> };

declare module 'vue' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalComponents extends AuthGlobalComponents {}
}
