import { expect, fixture, html } from '@open-wc/testing';
import { fakeAdapter } from '../../../test/support/fake-adapter.js';
import { until } from '../../../test/support/environment.js';
import '../auth-config/define.js';
import '../auth-login/define.js';
import type { AuthConfig } from '../auth-config/auth-config.js';

// In a page of its own: no Chinese words are here before this test, as on a real page.
describe('an element\'s language', () => {
  it('`lang` set as a property before connection: the first render already speaks it (no English first)', async () => {
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${{ provider: fakeAdapter() }}></auth-config>`);
    const element = document.createElement('auth-login');
    element.lang = 'zh-CN';
    const headings: string[] = [];
    const observer = new MutationObserver(() => {
      const text = element.querySelector('[part~="heading"]')?.textContent?.trim();
      if (text && headings.at(-1) !== text) headings.push(text);
    });
    observer.observe(element, { childList: true, subtree: true, characterData: true });
    config.append(element);
    await until(() => headings.includes('登录'), undefined, 'the Chinese heading');
    await element.updateComplete;
    observer.disconnect();
    expect(headings).to.deep.equal(['登录']);
    expect(element.getAttribute('lang')).to.equal('zh-CN');
  });
});
