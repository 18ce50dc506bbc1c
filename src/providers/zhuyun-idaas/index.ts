// `auth-elements/providers/zhuyun-idaas`: this backend's adapter factory alone, so an app that uses it
// ships one adapter: `configure({ provider: zhuyunIdaasProvider({ … }) })`.
export { zhuyunIdaasProvider, type ZhuyunIdaasSettings } from './zhuyun-idaas.js';
