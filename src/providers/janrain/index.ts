// `auth-elements/providers/janrain`: this backend's adapter factory alone, so an app that uses it
// ships one adapter: `configure({ provider: janrainProvider({ … }) })`.
export { janrainProvider, type JanrainSettings } from './janrain.js';
