import { expect } from '@open-wc/testing';
import { css, html, type CSSResult } from 'lit';
import { until } from '../../../test/support/environment.js';
import { AuthFormElement } from './auth-form-element.js';

// The base's views: an element renders nothing until its views module is here (and its styles
// adopted), `updateComplete` waits for it, one load serves every element of a kind, and a load
// that fails shows an alert with "Try again" that loads again.

interface ProbeViews {
  styles: CSSResult[];
  view(host: HTMLElement): unknown;
}

let tags = 0;

/** A fresh element class whose views come from `load` (called once per try). */
function probeElement(load: () => Promise<ProbeViews>) {
  const tag = `views-probe-${++tags}`;
  const calls = { load: 0 };
  class Probe extends AuthFormElement<ProbeViews> {
    static override views = () => {
      calls.load++;
      return load();
    };
    protected override renderViews(views: ProbeViews): unknown {
      return views.view(this);
    }
  }
  customElements.define(tag, Probe);
  const make = () => {
    const element = document.createElement(tag) as Probe;
    element.lang = 'en';
    return element;
  };
  return { make, calls };
}

/** Views whose render notes whether their stylesheet was already adopted by then. */
function probeViews(seen: boolean[]): ProbeViews {
  const style = css`
    .probe-form {
      outline-offset: 3px;
    }
  `;
  return {
    styles: [style],
    view: () => {
      seen.push(document.adoptedStyleSheets.includes(style.styleSheet!));
      return html`<form class="probe-form"><input name="probe" /></form>`;
    },
  };
}

describe('AuthFormElement: views on demand', () => {
  // First in this file: the Chinese words are not here yet.
  it('an update that waits for the words keeps its changes (a property set before the Chinese words came)', async () => {
    const seen: boolean[] = [];
    const tag = `views-probe-${++tags}`;
    class Probe extends AuthFormElement<ProbeViews> {
      static override properties = { mode: {} };
      declare mode?: string;
      changedMode = false;
      static override views = () => Promise.resolve(probeViews(seen));
      protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
        if (changed.has('mode')) this.changedMode = true;
      }
      protected override renderViews(views: ProbeViews): unknown {
        return views.view(this);
      }
    }
    customElements.define(tag, Probe);
    const element = document.createElement(tag) as Probe;
    element.setAttribute('lang', 'zh-CN');
    element.mode = 'sign-up';
    document.body.append(element);
    try {
      await until(() => !!element.querySelector('form'), 5000, 'rendered once the words came');
      expect(element.changedMode, 'willUpdate saw the change').to.equal(true);
    } finally {
      element.remove();
    }
  });

  it('renders once its views are here, styles adopted first; updateComplete waits for them; one load for every element', async () => {
    const seen: boolean[] = [];
    let arrive!: (views: ProbeViews) => void;
    const { make, calls } = probeElement(() => new Promise((resolve) => (arrive = resolve)));
    const first = make();
    const second = make();
    document.body.append(first, second);
    try {
      let done = false;
      void first.updateComplete.then(() => (done = true));
      await until(() => calls.load === 1, 5000, 'the views started loading on connect');
      await Promise.resolve();
      expect(first.isUpdatePending && !done, 'updateComplete waits for the views').to.equal(true);
      expect(first.querySelector('form')).to.equal(null);
      arrive(probeViews(seen));
      await first.updateComplete;
      await second.updateComplete;
      expect(!!first.querySelector('form.probe-form') && !!second.querySelector('form.probe-form')).to.equal(true);
      expect(seen.length > 0 && seen.every(Boolean), 'the styles were adopted before the first render').to.equal(true);
      expect(calls.load, 'both elements shared one load').to.equal(1);
      // A later element of the same kind renders with the views already here.
      const third = make();
      document.body.append(third);
      await third.updateComplete;
      expect(!!third.querySelector('form')).to.equal(true);
      expect(calls.load).to.equal(1);
      third.remove();
    } finally {
      first.remove();
      second.remove();
    }
  });

  it('a views chunk that cannot load: an alert and "Try again", which loads them again and gives focus to the form', async () => {
    let fail = true;
    const { make, calls } = probeElement(() => (fail ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : Promise.resolve(probeViews([]))));
    const element = make();
    const errors: Array<{ code: string; providerCode?: string; message: string }> = [];
    element.addEventListener('auth-error', (event) => errors.push((event as CustomEvent<{ error: { code: string; providerCode?: string; message: string } }>).detail.error));
    document.body.append(element);
    try {
      await element.updateComplete;
      const alert = element.querySelector('[role="alert"]');
      expect(alert?.textContent).to.equal('This form could not load. Check your connection.');
      expect(errors.map((e) => [e.code, e.providerCode, e.message])).to.deep.equal([['network', 'views_not_loaded', 'This form could not load. Check your connection.']]);
      const retry = element.querySelector('button')!;
      expect(retry.textContent).to.equal('Try again');
      retry.focus();
      fail = false;
      retry.click();
      await until(() => !!element.querySelector('form.probe-form'), 5000, 'the form after "Try again"');
      await element.updateComplete;
      expect(calls.load, 'loaded again').to.equal(2);
      expect(element.querySelector('[role="alert"]')).to.equal(null);
      expect(document.activeElement === element.querySelector('input[name="probe"]'), 'focus on the form').to.equal(true);
    } finally {
      element.remove();
    }
  });

  it('in Chinese, the alert and its button are in Chinese', async () => {
    const { make } = probeElement(() => Promise.reject(new TypeError('offline')));
    const element = make();
    element.lang = 'zh-CN';
    document.body.append(element);
    try {
      await until(() => !!element.querySelector('[role="alert"]'), 5000, 'the alert');
      expect(element.querySelector('[role="alert"]')!.textContent).to.equal('表单未能加载，请检查网络连接。');
      expect(element.querySelector('button')!.textContent).to.equal('重试');
    } finally {
      element.remove();
    }
  });
});
