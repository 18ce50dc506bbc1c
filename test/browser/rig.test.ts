// Proves the rig itself: TypeScript (with Lit-style legacy decorators settings) compiles,
// and each engine runs custom elements and WebCrypto.
import { expect, fixture, html } from '@open-wc/testing';

class RigProbe extends HTMLElement {
  connectedCallback() {
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    root.innerHTML = '<p part="message"><slot></slot></p>';
  }
}
if (!customElements.get('rig-probe')) customElements.define('rig-probe', RigProbe);

declare global {
  interface HTMLElementTagNameMap {
    'rig-probe': RigProbe;
  }
}

describe('test rig', () => {
  it('renders a custom element into its shadow DOM', async () => {
    const el = await fixture<RigProbe>(html`<rig-probe>hello</rig-probe>`);
    expect(el).to.be.instanceOf(RigProbe);
    const part = el.shadowRoot!.querySelector('[part="message"]');
    expect(part).to.exist;
    const slot = part!.querySelector('slot')!;
    expect(slot.assignedNodes().map((node) => node.textContent)).to.deep.equal(['hello']);
  });

  it('has WebCrypto (crypto.subtle.digest) in a secure context', async () => {
    expect(window.isSecureContext).to.equal(true);
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc'));
    const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
    expect(hex).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
