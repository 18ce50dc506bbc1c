import { expect } from '@open-wc/testing';

// The built script-tag bundle (npm test builds dist/ before the browser tests). Loaded twice, as
// happens when a page has the script tag and an app bundle: the second copy must not throw.

function load(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

describe('script-tag bundle', () => {
  it('defines every element, sets window.AuthElements, and tolerates a second copy', async () => {
    const errors: string[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.message);
    window.addEventListener('error', onError);
    try {
      await load('/dist/auth-elements.iife.js');
      const first = (window as unknown as { AuthElements: Record<string, unknown> }).AuthElements;
      // Compared by identity: chai would walk the namespace's getters to print a failure.
      expect(typeof first).to.equal('object');
      expect(first.configure).to.be.a('function');
      expect(first.isAuthError).to.be.a('function');
      const tag = customElements.get('auth-config');
      expect(tag).to.be.a('function');
      await load('/dist/auth-elements.iife.js?copy=2');
      expect(errors).to.deep.equal([]);
      expect(customElements.get('auth-config')).to.equal(tag);
      expect((window as unknown as { AuthElements: unknown }).AuthElements === first, 'window.AuthElements kept').to.equal(true);
      const config = document.createElement('auth-config') as HTMLElement & { client: { adapter: { type: string } } | null };
      config.setAttribute('provider', 'oidc');
      config.setAttribute('issuer', 'http://127.0.0.1:9');
      config.setAttribute('client-id', 'spa');
      config.setAttribute('storage', 'memory');
      document.body.append(config);
      expect(config.client?.adapter.type).to.equal('oidc');
      config.remove();
    } finally {
      window.removeEventListener('error', onError);
    }
  });
});
