import { setting, type SettingsOf } from './table.js';

/** Settings of the `janrain` provider: Janrain's own form parameter names, camel-cased. */
export const janrainSettings = {
  baseUrl: setting.string({ attribute: 'base-url', required: true, doc: 'The relay in front of the Capture domain (no CORS, and the code exchange needs a secret).' }),
  clientId: setting.string({ attribute: 'client-id', required: true, doc: 'The login client\'s id, never an API client.' }),
  flow: setting.string({ attribute: 'flow', doc: 'The flow name; omit when the login client has a default flow.' }),
  flowVersion: setting.string({ attribute: 'flow-version', required: true, doc: 'The flow version.' }),
  locale: setting.string({ attribute: 'locale', doc: 'The flow\'s locale (`en-US`, `zh-CN`); default: the person\'s language (`en-US` or `zh-CN`). Set it when the flow lacks one of them.' }),
  redirectUri: setting.string({ attribute: 'redirect-uri', required: true, doc: 'Registered on the login client; also the page the reset-password email links to.' }),
  verifyEmailUri: setting.string({ attribute: 'verify-email-uri', doc: 'The page the verify-email link opens (registered on the login client, and other than `redirectUri`, which a reset link opens): enables email verification.' }),
};

export type JanrainSettings = SettingsOf<typeof janrainSettings>;
