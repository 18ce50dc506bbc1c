import { expect } from '@open-wc/testing';
import { css, html } from 'lit';
import { waitFor as until } from '../../../test/support/wait.js';
import type { AuthError } from '../../contract/index.js';
import { AuthFormElement, type Views } from '../base/auth-form-element.js';
import { later, type Later } from './later.js';

// A part of a view whose code loads the first time it is drawn (a step's views): the element's
// `updateComplete` and the focus of the last action wait for it; offline, a sentence and
// "Try again" (which loads again); a prefetch that failed says nothing and is tried again when drawn.

interface Part {
  form(): unknown;
}

let tags = 0;

/** An element that draws `part` (a form with one input) once `shown` is set; `back`, the part's way out. */
function partElement(part: Later<Part>, back?: () => void) {
  const tag = `later-probe-${++tags}`;
  class Probe extends AuthFormElement {
    static override views = () => Promise.resolve<Views>({ styles: [] });
    shown = false;
    defaultRegion = '+86';
    protected override renderViews(): unknown {
      return this.shown ? part(this, (module) => module.form(), back) : html`<p>before</p>`;
    }
  }
  customElements.define(tag, Probe);
  const element = document.createElement(tag) as Probe;
  element.lang = 'en';
  document.body.append(element);
  return element;
}

/** A loader that fails `failures` times, then gives the part; and how often it was called. */
function loader(failures: number) {
  const calls = { count: 0 };
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const load = async (): Promise<Part> => {
    calls.count++;
    await gate;
    if (calls.count <= failures) throw new TypeError('Failed to fetch dynamically imported module');
    return { form: () => html`<form><input name="code" /></form>` };
  };
  return { load, calls, release };
}

describe('later(): a part of a view loaded on first use', () => {
  it('is drawn once its code is here; updateComplete waits for it, and the focus of the last action lands in it', async () => {
    const { load, calls, release } = loader(0);
    const element = partElement(later(load));
    try {
      await element.updateComplete;
      expect(calls.count, 'nothing loads before the part is drawn').to.equal(0);
      element.shown = true;
      element.form.focus('first');
      await until(() => calls.count === 1, 'the part starts loading when drawn');
      const box = element.querySelector('[aria-busy="true"]');
      expect(box, 'a busy box meanwhile').to.not.equal(null);
      expect(document.activeElement === box, 'focus waits on it, not on the page').to.equal(true);
      expect(element.waiting).to.equal(true);
      const complete = element.updateComplete;
      release();
      await complete;
      expect(element.waiting).to.equal(false);
      const input = element.querySelector('input[name="code"]');
      expect(input, 'updateComplete resolved with the part drawn').to.not.equal(null);
      expect(document.activeElement === input, 'focus waited for the part').to.equal(true);
      expect(element.querySelector('[aria-busy]')).to.equal(null);
    } finally {
      element.remove();
    }
  });

  it('offline: a sentence says so (auth-error network, views_not_loaded), with "Try again", which loads again, and a way back', async () => {
    const { load, calls, release } = loader(1);
    let backs = 0;
    const element = partElement(later(load), () => backs++);
    const errors: AuthError[] = [];
    element.addEventListener('auth-error', (event) => errors.push((event as CustomEvent<{ error: AuthError }>).detail.error));
    try {
      await element.updateComplete;
      element.shown = true;
      element.requestUpdate();
      release();
      await element.updateComplete;
      const alert = element.querySelector('[role="alert"]');
      expect(alert?.textContent, 'what could not load').to.equal('This step could not load. Check your connection and try again.');
      expect(document.activeElement === alert, 'focus on the sentence').to.equal(true);
      expect(errors.map((error) => [error.code, error.providerCode])).to.deep.equal([['network', 'views_not_loaded']]);
      const retry = [...element.querySelectorAll('button')].find((button) => button.textContent === 'Try again');
      expect(retry, 'a Try again button').to.not.equal(undefined);
      [...element.querySelectorAll('button')].find((button) => button.textContent === 'Back')!.click();
      expect(backs, 'and a way back').to.equal(1);
      retry!.click();
      await until(() => !!element.querySelector('input[name="code"]'), 'the part after Try again');
      expect(calls.count).to.equal(2);
      expect(element.querySelector('[role="alert"]'), 'the sentence is gone').to.equal(null);
      expect(document.activeElement === element.querySelector('input[name="code"]'), 'focus in the part').to.equal(true);
    } finally {
      element.remove();
    }
  });

  it('a prefetch that failed says nothing: the part loads again when drawn', async () => {
    const { load, calls, release } = loader(1);
    const part = later(load);
    const element = partElement(part);
    try {
      release();
      part.prefetch();
      await until(() => calls.count === 1, 'the prefetch ran');
      await element.updateComplete;
      element.shown = true;
      element.requestUpdate();
      await until(() => !!element.querySelector('input[name="code"]'), 'the part, drawn');
      expect(calls.count).to.equal(2);
      expect(element.querySelector('[role="alert"]')).to.equal(null);
    } finally {
      element.remove();
    }
  });

  it('adopts the styles its module exports into the document before it is first drawn, once', async () => {
    const styles = [css`
      :where(.later-probe-styled) {
        outline-offset: 7px;
      }
    `];
    const sheet = styles[0]!.styleSheet!;
    const part = later(() => Promise.resolve({ styles, form: () => html`<form class="later-probe-styled"><input name="code" /></form>` }));
    const element = partElement(part);
    try {
      await element.updateComplete;
      expect(document.adoptedStyleSheets.includes(sheet), 'not before the part is drawn').to.equal(false);
      element.shown = true;
      element.requestUpdate();
      await element.updateComplete;
      const form = element.querySelector('form.later-probe-styled')!;
      expect(document.adoptedStyleSheets.filter((s) => s === sheet).length, 'adopted once').to.equal(1);
      expect(getComputedStyle(form).outlineOffset, 'its rules apply to what it drew').to.equal('7px');
      element.requestUpdate();
      await element.updateComplete;
      expect(document.adoptedStyleSheets.filter((s) => s === sheet).length, 'still once after another render').to.equal(1);
    } finally {
      element.remove();
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    }
  });
});
