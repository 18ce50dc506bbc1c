// The build's entry points, in one place. vite.config.ts, scripts/build.mjs and the node tests
// all read this list, so adding an element is one line in ELEMENTS (plus its "./<tag>" in
// package.json "exports", which test/node/build.node.test.ts checks).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** One ESM entry per element: src/components/<tag>/define.ts → dist/<tag>.js. */
export const ELEMENTS = ['auth-config', 'auth-login', 'auth-user', 'auth-profile', 'auth-password', 'auth-otp', 'auth-social', 'auth-webauthn-register', 'auth-passkey'];

/** One ESM entry per backend: `auth-elements/providers/<type>` exports its adapter factory alone. */
export const BACKENDS = ['cloudbase', 'tencent-ciam', 'alibaba-idaas', 'zhuyun-idaas', 'janrain', 'oidc'];

/**
 * ESM entries: output name (dist/<name>.js) → source. `optional` entries are skipped with a
 * notice while their source does not exist; `server` entries run outside a browser (no DOM).
 */
export const ESM_ENTRIES = [
  { name: 'index', source: 'src/index.ts' },
  { name: 'define', source: 'src/define.ts' },
  ...ELEMENTS.map((tag) => ({ name: tag, source: `src/components/${tag}/define.ts` })),
  ...BACKENDS.map((type) => ({ name: `providers/${type}`, source: `src/providers/${type}/index.ts` })),
  { name: 'relay', source: 'src/relay/index.ts', server: true },
  // The framework entries: never in the script-tag bundle (src/script.ts does not import them).
  { name: 'react', source: 'src/react/index.ts' },
  { name: 'vue', source: 'src/vue/index.ts' },
];

/** The script-tag bundle: one minified classic script that defines every element. */
export const SCRIPT_ENTRY = { name: 'auth-elements.iife', source: 'src/script.ts' };

/** Where (under dist/) the script-tag bundle's on-demand chunks go: adapters, Chinese, WebAuthn. */
export const SCRIPT_CHUNKS = 'script';

/**
 * The ESM entries whose source exists, as { name: absolute path } for the bundler. A missing
 * required entry throws; a missing optional one is reported through `notice`.
 */
export function esmInput(notice = (message) => console.warn(message)) {
  const input = {};
  for (const entry of ESM_ENTRIES) {
    const file = resolve(ROOT, entry.source);
    if (existsSync(file)) input[entry.name] = file;
    else if (entry.optional) notice(`[build] ${entry.source} does not exist yet: skipping dist/${entry.name}.js`);
    else throw new Error(`[build] entry ${entry.source} (for dist/${entry.name}.js) does not exist`);
  }
  return input;
}
