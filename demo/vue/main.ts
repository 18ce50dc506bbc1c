// Vue 3 with the auth elements, through render functions (`h()`): no template compiler at run
// time, so the page keeps the strict CSP of the main demo (no 'unsafe-eval'), and custom
// elements need no `isCustomElement` option. The template form of the same markup is in the
// README:
//   <auth-config provider="zhuyun-idaas" :baseUrl.prop="url" :clientId.prop="id"
//                @auth-state-change="onChange"><auth-password /></auth-config>
// (`.prop` does not camelize: `:base-url.prop` would set a property named `base-url`.)
import { createApp, defineComponent, h, shallowRef } from 'vue';
// Registers the tags (elements.ts holds only types, which the build erases).
import '../../src/define.js';
import type { AuthConfig, AuthPassword, Session } from '../../src/index.js';
import type { AuthErrorEvent, AuthStateChangeEvent, VueElementProps } from './elements.js';

declare const __DEMO_REFERENCE_URL__: string;

const who = (session: Session) => session.user.name ?? session.user.phone ?? session.user.email ?? session.user.id;

const App = defineComponent({
  name: 'AuthDemo',
  setup() {
    const config = shallowRef<AuthConfig | null>(null);
    // The session as the app keeps it: whatever the last `auth-state-change` said.
    const session = shallowRef<Session | null>(null);
    const lastEvent = shallowRef('none yet');
    const lastError = shallowRef('');

    const configProps = {
      ref: config,
      provider: 'zhuyun-idaas',
      // `.`: set as DOM properties (what `:base-url.prop` does in a template).
      '.baseUrl': `${__DEMO_REFERENCE_URL__}/zhuyun-idaas`,
      '.clientId': 'zhuyun-demo-client',
      storageKey: 'vue-demo',
      // Vue hyphenates: this listens for `auth-state-change`.
      onAuthStateChange: (event: AuthStateChangeEvent) => {
        session.value = event.detail.session;
        lastEvent.value = event.detail.event;
        lastError.value = '';
      },
      onAuthError: (event: AuthErrorEvent) => {
        lastError.value = `${event.detail.error.code}: ${event.detail.error.message}`;
      },
    } satisfies VueElementProps<AuthConfig> & { '.baseUrl': string; '.clientId': string };
    const passwordProps = {} satisfies VueElementProps<AuthPassword>;

    return () =>
      h('section', { id: 'vue-section', 'aria-labelledby': 'vue-title' }, [
        h('h2', { id: 'vue-title' }, 'Vue 3 render functions'),
        h('auth-config', configProps, [h('auth-password', passwordProps)]),
        h('div', { class: 'framework-state' }, [
          h('p', { role: 'status', 'data-state': session.value ? 'signed-in' : 'signed-out' }, session.value ? `Signed in as ${who(session.value)}` : 'Signed out'),
          h('p', { class: 'note' }, `Last event: ${lastEvent.value}${lastError.value ? ` — last error: ${lastError.value}` : ''}`),
          session.value
            ? h('div', { class: 'actions' }, [h('button', { type: 'button', onClick: () => void config.value?.client?.signOut() }, 'Sign out')])
            : null,
        ]),
      ]);
  },
});

createApp(App).mount('#app');
