// `auth-elements/providers/cloudbase`: this backend's adapter factory alone, so an app that uses it
// ships one adapter: `configure({ provider: cloudbaseProvider({ … }) })`.
export { cloudbaseProvider, type CloudbaseSettings } from './cloudbase.js';
