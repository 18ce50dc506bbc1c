// The layer rules are code (STYLE.md habit 17): these tests prove the linter refuses a breach of
// each, and that src/ has no import cycle. `npm test` also lints the whole tree.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';
import madge from 'madge';
import { ROOT } from '../../scripts/entries.mjs';

const eslint = new ESLint({ cwd: ROOT });

/** The rule ids ESLint reports for `code` as if it were the file at `path` (nothing is written). */
async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

const breaches: Array<[string, string, string, RegExp]> = [
  ['an element imports an adapter', 'src/components/auth-otp/breach.ts', "import { cloudbaseProvider } from '../../providers/cloudbase/cloudbase.js';\nexport const made = cloudbaseProvider;\n", /boundaries\/dependencies/],
  ['core imports Lit', 'src/core/breach.ts', "import { html } from 'lit';\nexport const view = html`<p></p>`;\n", /no-restricted-imports/],
  ['core imports an element', 'src/core/breach.ts', "import { AuthOtp } from '../components/auth-otp/auth-otp.js';\nexport const element = AuthOtp;\n", /boundaries\/dependencies/],
  ['an adapter imports the session store', 'src/providers/oidc/breach.ts', "import { SessionStore } from '../../core/session-store.js';\nexport const store = SessionStore;\n", /boundaries\/dependencies/],
  ['an adapter imports an element', 'src/providers/oidc/breach.ts', "import { AuthOtp } from '../../components/auth-otp/auth-otp.js';\nexport const element = AuthOtp;\n", /boundaries\/dependencies/],
  ['the contract imports core', 'src/contract/breach.ts', "import { toSession } from '../core/util/session.js';\nexport const make = toSession;\n", /boundaries\/dependencies/],
  ['the relay imports browser code', 'src/relay/breach.ts', "import { AuthClient } from '../core/client.js';\nexport const client = AuthClient;\n", /boundaries\/dependencies/],
  ['a default export', 'src/core/breach.ts', 'export default 1;\n', /no-restricted-syntax: No default exports/],
  ['export *', 'src/core/breach.ts', "export * from './client.js';\n", /no-restricted-syntax: No `export \*`/],
  ['a file over 400 lines', 'src/core/breach.ts', `${'export const x0 = 0;\n'}${Array.from({ length: 400 }, (_, i) => `export const x${i + 1} = ${i + 1};`).join('\n')}\n`, /max-lines/],
];

describe('architecture', () => {
  for (const [what, path, code, expected] of breaches) {
    test(`the linter refuses: ${what}`, async () => {
      const found = await problems(path, code);
      assert.ok(found.some((line) => expected.test(line)), `expected ${expected} for ${path}, got ${JSON.stringify(found)}`);
    });
  }

  test('the allowed imports pass: an element uses the client, an adapter the contract and core utilities', async () => {
    assert.deepEqual(await problems('src/components/auth-otp/ok.ts', "import type { AuthClient } from '../../core/client.js';\nexport type Client = AuthClient;\n"), []);
    assert.deepEqual(await problems('src/providers/oidc/ok.ts', "import { AuthError } from '../../contract/index.js';\nimport { decodeJwt } from '../../core/util/jwt.js';\nexport const parts = [AuthError, decodeJwt];\n"), []);
  });

  test('no import cycle in src/ (type imports included)', async () => {
    // Tests are left out: they reach into demo/ and test/, which are not the shipped graph.
    const graph = await madge(join(ROOT, 'src'), { fileExtensions: ['ts'], tsConfig: join(ROOT, 'tsconfig.json'), excludeRegExp: [/\.test\.ts$/] });
    assert.deepEqual(graph.circular(), []);
  });

  test('no source file over 400 lines', () => {
    const long = readdirSync(join(ROOT, 'src'), { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.ts'))
      .map((file) => [relative(ROOT, join(ROOT, 'src', file)), readFileSync(join(ROOT, 'src', file), 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > 400);
    assert.deepEqual(long, []);
  });
});

describe('public entries name every element', () => {
  const className = (tag: string) => tag.replace(/(^|-)([a-z])/g, (_, _dash, letter: string) => letter.toUpperCase());
  const exported = (file: string) => new Set([...readFileSync(join(ROOT, file), 'utf8').matchAll(/\b(Auth[A-Z]\w*)\b/g)].map((m) => m[1]!));

  test('the ESM index and window.AuthElements (the script tag) export each element class', async () => {
    const { ELEMENTS } = await import('../../scripts/entries.mjs');
    for (const file of ['src/index.ts', 'src/script-api.ts']) {
      const names = exported(file);
      for (const tag of ELEMENTS as string[]) assert.ok(names.has(className(tag)), `${file} does not export ${className(tag)} (<${tag}>)`);
    }
  });
});
