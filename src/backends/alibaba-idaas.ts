import { setting, type SettingsOf } from './table.js';

/** A social source of the IDaaS console: its `enterpriseAuthId` and the third party's authorize URL. */
export interface AlibabaSocialSource {
  enterpriseAuthId: string;
  authorizeUrl: string;
}

/** Settings of the `alibaba-idaas` provider (DESIGN.md, "Provider settings"). */
export const alibabaIdaasSettings = {
  baseUrl: setting.string({ attribute: 'base-url', required: true, doc: 'The relay that adds the app token; CIAM paths are appended unchanged.' }),
  idaasAppId: setting.string({ attribute: 'idaas-app-id', required: true, doc: 'The application id from the IDaaS console.' }),
  phoneRegion: setting.string({ attribute: 'phone-region', doc: 'Region of phone numbers typed without `+`; default `86`.' }),
  agreeConsent: setting.boolean({ attribute: 'agree-consent', doc: 'The page shows the terms beside the form: answer a consent step without asking.' }),
  userType: setting.string({ attribute: 'user-type', doc: '`userType` of `/config/loginpage`; default the backend\'s.' }),
  socialSources: setting.json<AlibabaSocialSource[]>()({ attribute: 'social-sources', doc: 'Social sources as JSON: `[{"enterpriseAuthId":"…","authorizeUrl":"https://…"}]`.' }),
  nonDefaultApp: setting.boolean({ attribute: 'non-default-app', doc: 'The application is not the instance\'s default: a social sign-in names it as `state: "ID:{idaasAppId}"` (seed).' }),
};

export type AlibabaIdaasSettings = SettingsOf<typeof alibabaIdaasSettings>;
