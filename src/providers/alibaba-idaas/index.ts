// `auth-elements/providers/alibaba-idaas`: this backend's adapter factory alone, so an app that uses it
// ships one adapter: `configure({ provider: alibabaIdaasProvider({ … }) })`.
export { alibabaIdaasProvider, type AlibabaIdaasSettings } from './alibaba-idaas.js';
