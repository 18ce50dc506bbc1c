import { html } from 'lit';
import type { Language } from '../../contract/index.js';
import type { ViewHost } from './host.js';

/**
 * Display names of third-party sources. Names (and never markup) come from this list, not
 * from the server; an unknown source id is shown as the id itself, as text.
 */
const SOURCES: Record<string, { name: string; zh?: string }> = {
  oidc: { name: 'single sign-on', zh: '单点登录' },
  google: { name: 'Google' },
  github: { name: 'GitHub' },
  apple: { name: 'Apple' },
  microsoft: { name: 'Microsoft' },
  wx_open: { name: 'WeChat', zh: '微信' },
  wechat: { name: 'WeChat', zh: '微信' },
  qq: { name: 'QQ' },
  weibo: { name: 'Weibo', zh: '微博' },
  dingtalk: { name: 'DingTalk', zh: '钉钉' },
  alipay: { name: 'Alipay', zh: '支付宝' },
};

export function sourceName(source: string, language: Language): string {
  const known = SOURCES[source];
  return (language === 'zh-CN' ? known?.zh : undefined) ?? known?.name ?? source;
}

/** The sources to show: `wanted` (space-separated, in its order) among those the backend offers. */
export function offeredSources(host: ViewHost, wanted?: string): string[] {
  const offered = host.auth.capabilities.oauth;
  return wanted ? wanted.split(/\s+/).filter((source) => offered.includes(source)) : offered;
}

/**
 * One "Continue with …" button per source; a click starts the redirect. `primary`: the first is
 * the main action. `popup`: in a popup where the backend allows it (`capabilities.popup`).
 */
export function socialButtons(host: ViewHost, sources: string[], primary = false, popup = false) {
  const { auth, i18n, form } = host;
  const start = async (source: string) => {
    const provider = auth.client?.adapter.type === 'oidc' || source === 'oidc' ? undefined : source;
    form.begin();
    // Straight from the click, with nothing awaited first: a popup opened later is blocked.
    if (popup && auth.capabilities.popup) await form.run((options) => auth.client!.signInWithPopup({ provider }, options));
    else await form.run((options) => auth.client!.signInWithOAuth({ provider }, options));
  };
  return sources.map(
    (source, index) => html`<button part=${primary && index === 0 ? 'button social' : 'button secondary social'} type="button" data-source=${source} @click=${() => start(source)}>
      ${i18n.t('continueWith', { source: sourceName(source, i18n.language) })}
    </button>`,
  );
}
