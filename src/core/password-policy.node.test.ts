// Issue 20, L4: a backend's password rule (Zhuyun's `regEx`) must not freeze the page. A pattern
// that can backtrack catastrophically is never run (asserted by watching what RegExp compiles,
// not by timing it); a safe one still is; a long input is left to the backend.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { checkPassword, isSafePattern, MAX_PATTERN_INPUT } from './util/password-policy.js';
import { parsePolicy } from '../providers/zhuyun-idaas/zhuyun-idaas.js';

/** Records the source of every RegExp built while the test runs (and still builds it). */
function watchRegExp(t: TestContext): string[] {
  const built: string[] = [];
  const Original = globalThis.RegExp;
  const Watched = new Proxy(Original, {
    construct(target, args: [string | RegExp, string?]) {
      built.push(String(args[0] instanceof Original ? args[0].source : args[0]));
      return Reflect.construct(target, args);
    },
  });
  globalThis.RegExp = Watched;
  t.after(() => void (globalThis.RegExp = Original));
  return built;
}

const DANGEROUS = [
  '(a+)+b', '(a*)*b', '(a|a)*b', '(a|aa)+', '(\\w+\\s?)+', '^(([a-z])+.)+[A-Z]([a-z])+', '(.*a){12}', '(a+){2,}', '(x+x+)+y',
  '((a+))+', '(?:(?:a|b)+)+', '(?:a?){30}a{30}', '(.*){1,32000}[bc]', '(a)\\1', '(?<n>a+)\\k<n>', '.*.*.*.*x', '(?=.*.*.*.*x)',
  '[a-z]*[a-z]*[a-z]*[a-z]*!',
];
const ORDINARY = [
  '(?=.*[A-Z])(?=.*[a-z])(?=.*\\d).{8,}', '[A-Za-z0-9!@#$%^&*]{8,20}', '(?![0-9]+$)(?![a-zA-Z]+$)[0-9A-Za-z]{6,20}',
  '^(?=.*\\d)(?=.*[a-zA-Z])(?=.*[^\\w\\s]).{8,32}$', '\\p{L}+\\d+', '[(]+[)]*x', '(?:ab|cd)?[0-9]{4}', '\\u{1F600}?\\w{6,}', '(?<year>\\d{4})-\\d{2}',
];

describe('password patterns from a backend (L4)', () => {
  test('the attack: `(a+)+b` against 26 a\'s is not run at all', (t) => {
    const built = watchRegExp(t);
    const policy = parsePolicy(JSON.stringify({ minLength: 6, regEx: '(a+)+b', tip: 'letters' }));
    assert.equal(policy?.pattern, '(a+)+b');
    for (const length of [26, 27, 40, 100]) assert.equal(checkPassword('a'.repeat(length), policy), null, 'left to the backend');
    assert.deepEqual(built.filter((source) => source.includes('(a+)+b')), [], 'the dangerous pattern was never compiled');
  });

  for (const pattern of DANGEROUS) {
    test(`refused: ${pattern}`, (t) => {
      const built = watchRegExp(t);
      assert.equal(isSafePattern(pattern), false);
      assert.equal(checkPassword('a'.repeat(30) + '!', { pattern }), null);
      assert.equal(built.some((source) => source.includes(pattern)), false);
    });
  }

  for (const pattern of ORDINARY) {
    test(`still checked: ${pattern}`, (t) => {
      const built = watchRegExp(t);
      assert.equal(isSafePattern(pattern), true);
      checkPassword('short', { pattern });
      assert.equal(built.some((source) => source.includes(pattern)), true, 'the rule is applied in the page');
    });
  }

  test('a safe rule still refuses what breaks it, and passes what keeps it', () => {
    const policy = { pattern: '(?=.*[A-Z])(?=.*[a-z])(?=.*\\d).{8,}' };
    assert.equal(checkPassword('alllowercase1', policy), 'pattern');
    assert.equal(checkPassword('Mixed-Case-1', policy), null);
  });

  test(`a password longer than ${MAX_PATTERN_INPUT} characters is left to the backend`, (t) => {
    const built = watchRegExp(t);
    const pattern = '[a-z]{8,}';
    assert.equal(checkPassword('A'.repeat(MAX_PATTERN_INPUT + 1), { pattern }), null);
    assert.equal(built.some((source) => source.includes(pattern)), false);
    assert.equal(checkPassword('A'.repeat(MAX_PATTERN_INPUT), { pattern }), 'pattern');
  });

  test('odd pattern text never throws', () => {
    for (const pattern of ['(', ')', '[', '\\', '(?<', '(?<n', 'a{', '{1,2}', '\\p{', '\\u{', '[]', '[^]', '(?', '((((', '))))', '|||', '\\k']) {
      assert.doesNotThrow(() => isSafePattern(pattern), pattern);
      assert.doesNotThrow(() => checkPassword('password', { pattern }), pattern);
    }
  });
});
