// Two library builds from one config, picked by mode (scripts/build.mjs runs both):
//   vite build              ESM: one file per entry in scripts/entries.mjs plus shared chunks,
//                           dependencies left as imports so the app's bundler dedupes them
//   vite build --mode iife  the script-tag bundle: src/script.ts with lit inside, minified, one
//                           classic script plus the chunks it loads on demand (dist/script/)
// Neither empties dist/: scripts/build.mjs cleans it once before both.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';
import { classicScript, classicWrapper } from './scripts/classic-script.mjs';
import { minifyCss } from './scripts/css-literals.mjs';
import { dropSettingDocs } from './scripts/setting-docs.mjs';
import { terserAfter } from './scripts/terser-after.mjs';
import { ROOT, SCRIPT_CHUNKS, SCRIPT_ENTRY, esmInput } from './scripts/entries.mjs';

const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
const dependencies = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });

/** `lit`, `lit/directives/…`, `@lit/context`: anything the package depends on stays an import. */
const isDependency = (id: string) => dependencies.some((name) => id === name || id.startsWith(`${name}/`));

const shared: UserConfig = {
  root: ROOT,
  publicDir: false,
  logLevel: 'warn',
  // Dev-only warnings (src/core/util/dev.ts) are dropped from every build, and so are the
  // settings tables' `doc` lines (README, the manifest and the typings read them from the source);
  // the elements' CSS is minified.
  define: { __AUTH_ELEMENTS_DEV__: 'false' },
  plugins: [dropSettingDocs(), minifyCss()],
};

/** What both builds write the same way; scripts/build.mjs empties dist/ once before them. */
const output = {
  target: 'es2022',
  outDir: 'dist',
  emptyOutDir: false,
  copyPublicDir: false,
  reportCompressedSize: false,
} as const;

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'iife') {
    // ESM with code splitting, turned into one classic script plus lazy ES modules in
    // dist/script/ (scripts/classic-script.mjs): each backend's adapter, the elements' views, the
    // Chinese words, the passkey ceremonies and @simplewebauthn/browser load when first needed,
    // from beside the script.
    return {
      ...shared,
      plugins: [...(shared.plugins ?? []), classicScript({ entry: `${SCRIPT_ENTRY.name}.js` }), terserAfter()],
      build: {
        ...output,
        minify: true,
        sourcemap: true,
        // Library mode: no preload helper around import() (it needs import.meta and adds <link>s).
        lib: { entry: resolve(ROOT, SCRIPT_ENTRY.source), formats: ['es'], fileName: () => `${SCRIPT_ENTRY.name}.js` },
        rolldownOptions: {
          // src/script.ts exports nothing: it sets `window.AuthElements` itself (build.node.test.ts checks).
          preserveEntrySignatures: false,
          // The elements' views (AuthFormElement.views) as one chunk, not one per element plus the
          // pieces they share (8 files, two round trips, before <auth-login>'s first input);
          // <auth-profile>'s own sections apart (it shows only once signed in), and the views of
          // the steps after a sign-in (few people see one).
          output: {
            minify: true,
            chunkFileNames: `${SCRIPT_CHUNKS}/[name]-[hash].js`,
            ...classicWrapper,
            codeSplitting: {
              groups: [
                { name: 'initial', tags: ['$initial'], priority: 3 },
                // A step's views and the forms behind a link (views/parts.ts) load on first use; the
                // password policy they check goes with them (the flows and Zhuyun's adapter, which
                // check it too, come later than the first view).
                // What an adapter checks its settings with, and the names of server secrets (the
                // OAuth flow refuses them too): one small chunk, not two.
                { name: 'check', test: /[\\/]src[\\/](backends[\\/]check|contract[\\/]secrets)\.ts/, priority: 2, includeDependenciesRecursively: false },
                { name: 'steps', test: /[\\/]src[\\/](components[\\/]views[\\/](steps|captcha|forms|later-views)|core[\\/]util[\\/]password-policy)\.ts/, priority: 2, includeDependenciesRecursively: false },
                // The other elements' own views, and the passkey registration only they use: a page with
                // <auth-login> alone does not load them. What they share with <auth-login>'s views stays
                // in the views chunk, which the script starts fetching first (src/script-preload.ts).
                { name: 'element-views', test: /[\\/]src[\\/]components[\\/](auth-(?!login[\\/]|profile[\\/]|otp[\\/])[\w-]+[\\/]views|base[\\/]passkey-registration)\.ts/, priority: 2, includeDependenciesRecursively: false },
                // The one-time-code form: <auth-login> loads it when its tab is pointed at or opened
                // (views/otp-part.ts); <auth-otp>, which shows it first, has its own views here with it.
                { name: 'otp', test: /[\\/]src[\\/]components[\\/](views[\\/]otp|auth-otp[\\/]views)\.ts/, priority: 2, includeDependenciesRecursively: false },
                // <auth-login>'s signed-in view, with who is signed in and the account actions: a page
                // where nobody is signed in does not load it (views/signed-in-part.ts).
                { name: 'signed-in', test: /[\\/]src[\\/]components[\\/]views[\\/](signed-in|user|account)\.ts/, priority: 2, includeDependenciesRecursively: false },
                // The passkey calls (ceremonies, conditional UI): only the passkey controller and the
                // registration use them, and the views group would otherwise take them along.
                { name: 'passkey-calls', test: /[\\/]src[\\/]core[\\/]passkey-calls\.ts/, priority: 2, includeDependenciesRecursively: false },
                // Not the passkey controller: it comes only where passkeys are configured (base/passkey-lazy.ts).
                { name: 'views', test: /[\\/]src[\\/]components[\\/](?!auth-profile[\\/]|views[\\/]profile\.ts|base[\\/]passkey-controller\.ts)/, priority: 1 },
              ],
            },
          },
        },
      },
    };
  }
  return {
    ...shared,
    build: {
      ...output,
      // Readable output with sourcemaps; the app's bundler minifies.
      minify: false,
      sourcemap: true,
      lib: {
        entry: esmInput(),
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rolldownOptions: {
        external: isDependency,
        // An entry may hold a module another chunk imports (the group below takes no dependencies along).
        preserveEntrySignatures: 'allow-extension',
        output: {
          chunkFileNames: 'chunks/[name]-[hash].js',
          // <auth-config> and the settings tables it reads (not the facts or the checks) apart from the client they would
          // otherwise share a chunk with: an app that gives configure() an adapter never loads them.
          codeSplitting: { groups: [{ name: 'auth-config', test: /[\\/]src[\\/](components[\\/]auth-config[\\/]auth-config|backends[\\/](?!facts|check)[\w-]+)\.ts/, includeDependenciesRecursively: false }] },
        },
      },
    },
  };
});
