// `auth-elements/providers/tencent-ciam`: this backend's adapter factory alone, so an app that uses it
// ships one adapter: `configure({ provider: tencentCiamProvider({ … }) })`.
export { tencentCiamProvider, type TencentCiamSettings } from './tencent-ciam.js';
