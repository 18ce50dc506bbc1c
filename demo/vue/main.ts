// Vue 3 with the auth elements: a single-file-component app (App.vue), compiled by
// @vitejs/plugin-vue with `isCustomElement` from auth-elements/vue (demo/start.ts).
import { createApp } from 'vue';
import 'auth-elements/define';
import App from './App.vue';

createApp(App).mount('#app');
