import { css, html, nothing, type TemplateResult } from 'lit';
import { AuthFormElement } from '../base/auth-form-element.js';
import { formMessages } from '../base/templates.js';

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

/**
 * One button per third-party source the configured backend offers. A click starts the redirect
 * flow (authorization code with PKCE, `state` and `nonce`); the client completes it when the
 * page loads again, whether or not this element is on that page. With `popup`, the flow runs in
 * a popup where the backend allows it, and this page stays.
 *
 * @summary "Continue with …" buttons for social and hosted sign-in.
 *
 * @fires auth-state-change - `{ event, session }` when a popup sign-in signed the person in.
 * @fires auth-error - `{ error }` when a sign-in could not start; `error.message` is the text shown.
 *
 * @csspart form - The `<form>` holding the buttons.
 * @csspart button - A source's button.
 * @csspart error - The error, announced by screen readers.
 *
 * @cssproperty --auth-primary - Colour of the buttons.
 * @cssproperty --auth-radius - Corner radius of the buttons.
 *
 * @example
 * <auth-social sources="github wx_open"></auth-social>
 * <auth-social popup></auth-social>
 */
export class AuthSocial extends AuthFormElement {
  static override properties = {
    sources: {},
    popup: { type: Boolean },
  };

  static override formStyles = [
    css`
      :where(auth-social) {
        display: block;
      }
    `,
  ];

  /** Space-separated source ids to show, in order; default: every source the backend offers. */
  declare sources?: string;
  /**
   * Sign in in a popup where the backend can (`capabilities.popup`: OIDC, Tencent CIAM's portal);
   * the page stays. A popup the browser blocks falls back to the redirect.
   */
  declare popup: boolean;

  constructor() {
    super();
    this.popup = false;
  }

  get #sources(): string[] {
    const offered = this.auth.capabilities.oauth;
    if (!this.sources) return offered;
    return this.sources.split(/\s+/).filter((source) => offered.includes(source));
  }

  #name(source: string): string {
    const known = SOURCES[source];
    return (this.i18n.language === 'zh-CN' ? known?.zh : undefined) ?? known?.name ?? source;
  }

  protected override render(): TemplateResult | typeof nothing {
    const sources = this.#sources;
    if (!sources.length || this.auth.state.status === 'signed-in') return nothing;
    return html`<form part="form" class="auth-form" @submit=${(e: Event) => e.preventDefault()}>
      <fieldset>
        ${sources.map(
          (source) => html`<button part="button secondary" type="button" data-source=${source} @click=${() => this.#start(source)}>
            ${this.i18n.t('continueWith', { source: this.#name(source) })}
          </button>`,
        )}
        ${formMessages(this.form, this.i18n, this.id_('error'))}
      </fieldset>
    </form>`;
  }

  async #start(source: string) {
    const provider = this.auth.client?.adapter.type === 'oidc' || source === 'oidc' ? undefined : source;
    this.form.begin();
    // Straight from the click, with nothing awaited first: a popup opened later is blocked.
    const inPopup = this.popup && this.auth.capabilities.popup;
    if (inPopup) await this.form.run((options) => this.auth.client!.signInWithPopup({ provider }, options));
    else await this.form.run((options) => this.auth.client!.signInWithOAuth({ provider }, options));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-social': AuthSocial;
  }
}
