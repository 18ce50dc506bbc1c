import { expect } from '@open-wc/testing';
import { defineElement } from '../../src/components/base/define-element.js';

describe('registration', () => {
  it('a second definition of a tag (another copy of the library) does not throw', async () => {
    await import('../../src/define.js');
    const first = customElements.get('auth-config');
    expect(first).to.be.a('function');
    class Other extends HTMLElement {}
    expect(() => defineElement('auth-config', Other)).not.to.throw();
    expect(customElements.get('auth-config')).to.equal(first);
  });
});
