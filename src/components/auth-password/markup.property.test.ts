import { expect, fixture, html } from '@open-wc/testing';
import fc from 'fast-check';
import { fakeAdapter } from '../../../test/support/fake-adapter.js';
import { until } from '../../../test/support/environment.js';
import { AuthError, type FieldProblem, type StepRequest } from '../../contract/index.js';
import '../auth-config/define.js';
import '../auth-user/define.js';
import './define.js';
import type { AuthConfig } from '../auth-config/auth-config.js';
import type { AuthPassword } from './auth-password.js';

// Property test (fast-check): whatever a backend puts into an error or a step — the password
// rule's tip, attempts left, a wait, field problems, the target of a code, a captcha image — or
// into the user's profile, reaches the page as text. Each value carries markup; after the element has shown it, no
// element made from that markup exists anywhere in the element (light DOM or shadow roots).

const MARKUP = ['<x-injected data-injected></x-injected>', '<img src=x data-injected onerror="window.__injected=1">', '"><x-injected data-injected>', '<svg><x-injected data-injected/></svg>', '</p><x-injected data-injected>', '<script data-injected>window.__injected=1</script>'];
const hostile = fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...MARKUP), fc.string({ maxLength: 12 })).map((parts) => parts.join(''));
const number = fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.double({ noNaN: false }), fc.constant(undefined));
const problem = fc.oneof(fc.constantFrom<FieldProblem>('required', 'invalid', 'taken', 'too_short', 'pattern'), hostile) as fc.Arbitrary<FieldProblem>;

/** What the fake backend answers the sign-in with: an error, or a step, made of hostile parts. */
const answer = fc.oneof(
  fc.record({ tip: hostile, remaining: number, wait: number, problem, code: fc.constantFrom('invalid_credentials', 'password_policy', 'rate_limited', 'account_locked', 'invalid_request') }).map(
    ({ tip, remaining, wait, problem, code }) => new AuthError(code as never, { policy: { tip, minLength: 8 }, remainingAttempts: remaining, retryAfter: wait, lockedUntil: wait, invalid: { username: problem, password: problem }, providerCode: tip }),
  ),
  fc.record({ tip: hostile, target: hostile, image: fc.oneof(hostile, fc.constant('javascript:alert(1)')), kind: fc.constantFrom('password_change', 'second_factor', 'captcha') }).map(({ tip, target, image, kind }): StepRequest => {
    if (kind === 'password_change') return { kind, required: false, policy: { tip, minLength: 8 }, context: {} };
    if (kind === 'second_factor') return { kind, methods: ['sms'], target, context: {} };
    return { kind: 'captcha', image, context: {} };
  }),
);

/** Every element under `root`, through shadow roots. */
function allElements(root: Element): Element[] {
  const found: Element[] = [];
  const walk = (node: Element | ShadowRoot) => {
    for (const child of node.querySelectorAll('*')) {
      found.push(child);
      if (child.shadowRoot) walk(child.shadowRoot);
    }
  };
  walk(root);
  if (root.shadowRoot) walk(root.shadowRoot);
  return found;
}

describe('<auth-password> shows server text as text (fast-check)', () => {
  it('no element is ever made from an error or a step, whatever they hold', async () => {
    const provider = fakeAdapter();
    let next: AuthError | StepRequest = new AuthError('server');
    provider.signInWithPassword = async () => {
      if (next instanceof AuthError) throw next;
      return next;
    };
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${{ provider }}><auth-password></auth-password></auth-config>`);
    const client = config.client!;
    await client.ready;
    const element = config.querySelector('auth-password') as AuthPassword;
    await element.updateComplete;

    let answered = 0;
    element.addEventListener('auth-error', () => answered++);
    const field = (name: string) => element.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
    await fc.assert(
      fc.asyncProperty(answer, async (given) => {
        client.cancelStep();
        await element.updateComplete;
        next = given;
        const seen = answered;
        // As a person does it: the form, typed into and submitted.
        for (const [name, value] of [['username', 'ana@example.com'], ['password', 'x']]) {
          field(name).value = value;
          field(name).dispatchEvent(new Event('input', { bubbles: true }));
        }
        field('password').form!.requestSubmit();
        await until(() => answered > seen || client.state.pending !== null, undefined, 'the answer shown');
        await element.updateComplete;
        const shown = given instanceof AuthError ? element.querySelector('[role="alert"]')!.textContent! : element.textContent!;
        if (given instanceof AuthError && given.code === 'password_policy') expect(shown, 'the tip is shown, as text').to.contain(given.policy!.tip!);
        const injected = allElements(element).filter((node) => node.localName === 'x-injected' || node.hasAttribute('data-injected') || node.localName === 'script');
        expect(injected.length, injected.map((node) => node.outerHTML).join(' ')).to.equal(0);
        expect((window as { __injected?: number }).__injected).to.equal(undefined);
      }),
      {
        numRuns: 40,
        // Always among the runs: the rule's tip, which the error's own sentence quotes.
        examples: [[new AuthError('password_policy', { policy: { tip: MARKUP[0]!, minLength: 8 } })], [{ kind: 'second_factor', methods: ['sms'], target: MARKUP[1]!, context: {} }]],
      },
    );
  });

  it('<auth-user>: no element is made from the profile a backend returns', async () => {
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${{ provider: fakeAdapter() }}><auth-user></auth-user></auth-config>`);
    const client = config.client!;
    await client.ready;
    const element = config.querySelector('auth-user')!;
    await fc.assert(
      fc.asyncProperty(fc.record({ name: fc.oneof(hostile, fc.constant('')), email: hostile, phone: hostile, picture: fc.oneof(hostile, fc.constant('javascript:alert(1)')) }, { requiredKeys: [] }), async (profile) => {
        const { error } = await client.setSession({ access_token: 'a', expires_in: 3600, user: { id: 'u', ...profile } });
        expect(error).to.equal(null);
        await (element as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
        const injected = allElements(element).filter((node) => node.localName === 'x-injected' || node.hasAttribute('data-injected') || node.localName === 'script');
        expect(injected.length, injected.map((node) => node.outerHTML).join(' ')).to.equal(0);
        expect(allElements(element).some((node) => node.getAttribute('src')?.startsWith('javascript:') || node.getAttribute('href')?.startsWith('javascript:')), 'no javascript: address').to.equal(false);
      }),
      { numRuns: 30, examples: [[{ name: MARKUP[0]! }]] },
    );
  });
});
