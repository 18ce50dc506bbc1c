// ESLint (flat config): the layer rules of ../shared/DESIGN.md and STYLE.md as code. `npm test`
// runs it (scripts/lint.mjs); a breach fails the run.
//
//   contract   src/contract          imports nothing outside itself
//   core-util  src/core/util          what adapters and the relay may use of core (http, jwt, pkce, session, policy)
//   core       src/core              the client: contract, core-util, i18n; never Lit, never an element or adapter
//   i18n       src/i18n              every sentence: contract only
//   backends   src/backends          each backend's static facts (its settings table): no adapter code
//   adapter    src/providers         contract, core-util, backends, other adapters; never the client, the store or an element
//   element    src/components        contract, core, i18n, backends, the entry modules; never an adapter
//   relay      src/relay             contract, core-util; never browser code
//   framework  src/frameworks, src/react, src/vue   the React and Vue entries and their table: elements, contract
//   entry      src/*.ts              the public entry points: anything
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import tseslint from 'typescript-eslint';

const SRC = ['src/**/*.ts'];
const TESTS = ['**/*.test.ts', '**/*.node.test.ts', '**/*.passkey.test.ts'];
const LIT = ['lit', 'lit/*', '@lit/*', 'lit-html', 'lit-element'];

const element = (type, pattern) => ({ type, pattern, partialMatch: false });
const may = (from, to) => ({ from: { element: { type: from } }, allow: { to: { element: { types: { anyOf: to } } } } });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'custom-elements.json', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // TypeScript checks these better (and knows DOM and Node globals).
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
      // STYLE.md habit 1: named exports only, and every export listed by name.
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'No default exports (STYLE.md habit 1).' },
        { selector: 'ExportAllDeclaration', message: 'No `export *`: list exports by name (STYLE.md habit 1).' },
      ],
    },
  },
  {
    // Config files of tools that want a default export.
    files: ['*.config.{mjs,ts,js}', 'eslint.config.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: SRC,
    ignores: TESTS,
    plugins: { boundaries, lit, wc },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'boundaries/include': ['src/**/*.ts'],
      'boundaries/elements': [
        element('core-util', 'src/core/util'),
        element('contract', 'src/contract'),
        element('core', 'src/core'),
        element('i18n', 'src/i18n'),
        element('backends', 'src/backends'),
        element('adapter', 'src/providers'),
        element('element', 'src/components'),
        element('relay', 'src/relay'),
        element('framework', 'src/frameworks'),
        element('framework', 'src/react'),
        element('framework', 'src/vue'),
        // Last: what no folder above claims, the entry modules at the top of src/.
        element('entry', 'src'),
      ],
    },
    rules: {
      ...lit.configs['flat/recommended'].rules,
      ...wc.configs['flat/best-practice'].rules,
      // Elements are registered through defineElement (a guard against a second copy on the page).
      'wc/guard-define-call': 'off',
      'max-lines': ['error', { max: 400 }],
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            may('contract', ['contract']),
            may('core-util', ['contract', 'core-util']),
            may('core', ['contract', 'core-util', 'core', 'i18n']),
            may('i18n', ['contract', 'i18n']),
            may('backends', ['contract', 'backends']),
            may('adapter', ['contract', 'core-util', 'backends', 'adapter']),
            may('element', ['contract', 'core-util', 'core', 'i18n', 'backends', 'element', 'entry']),
            may('relay', ['contract', 'core-util', 'relay']),
            may('framework', ['contract', 'element', 'framework']),
            may('entry', ['contract', 'core-util', 'core', 'i18n', 'backends', 'adapter', 'element', 'relay', 'framework', 'entry']),
          ],
        },
      ],
    },
  },
  {
    // Only the elements may use Lit: the client, the adapters and the relay run without a DOM.
    files: ['src/{contract,core,i18n,providers,relay}/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: LIT, message: 'Only src/components may import Lit (DESIGN.md, Layers).' }] }],
    },
  },
  {
    files: TESTS,
    rules: {
      // Tests poke at internals and build odd inputs on purpose.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // chai's property assertions (`expect(x).to.exist`).
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
