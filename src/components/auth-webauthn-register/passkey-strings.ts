import type { Language } from '../../i18n/index.js';

// TODO(i18n): move these into src/i18n/en.ts and zh-cn.ts (`ui.passkeyCancelled`,
// `ui.passkeyExists`) and use `this.t()`; they live here only until that change lands.
const strings = {
  en: {
    passkeyCancelled: 'No passkey was used: the request was dismissed or timed out. You can try again.',
    passkeyExists: 'This device already has a passkey for your account.',
  },
  'zh-CN': {
    passkeyCancelled: '未使用通行密钥：请求已取消或超时。您可以重试。',
    passkeyExists: '此设备上已有您账户的通行密钥。',
  },
} as const satisfies Record<Language, Record<string, string>>;

export type PasskeyStringKey = keyof (typeof strings)['en'];

/** A passkey string in `language` (English as the fallback). */
export function passkeyText(language: Language, key: PasskeyStringKey): string {
  return strings[language]?.[key] ?? strings.en[key];
}
