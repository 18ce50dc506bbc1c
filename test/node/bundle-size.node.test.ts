// Ceilings 25 % above each size goal of issue 19, measuring exactly what the goal names (gzip -9):
//   - the script tag's initial file, dist/auth-elements.iife.js: goal 20 KB, ceiling 25 KB;
//   - everything a page with the script tag, <auth-login> and one backend loads before anyone
//     acts (the script, the elements' views and the English words, each with the chunks it
//     imports; the backend's adapter comes when someone reaches for the form, or at start-up with
//     a stored session): goal 30 KB, ceiling 37.5 KB; the figure once a password sign-in ran (that
//     backend's adapter, the flows' and http's chunks too) is printed beside it, for each backend;
//   - an app of README's "One backend, smallest bundle" (configure(), that backend's entry
//     `auth-elements/providers/<type>` and `auth-elements/auth-login`), bundled with lit inside
//     as an app would be, initial code, for each backend: goal 18 KB, ceiling 22.5 KB.
// A goal the code does not meet yet is reported as a TODO with its figure (the test still runs
// and prints by how much), and a backstop 25 % above today's figure fails CI on bloat meanwhile.
// `npm run bench` reports the same figures beside the timings. Skipped until `npm run build`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { BACKENDS, ROOT, SCRIPT_ENTRY } from '../../scripts/entries.mjs';
import { bundleApp, scriptLoads } from '../support/bundle.js';

const KB = 1024;
const DIST = resolve(ROOT, 'dist');
const IIFE = resolve(DIST, `${SCRIPT_ENTRY.name}.js`);
const BUILT = existsSync(IIFE) && existsSync(resolve(DIST, 'providers/oidc.js')) ? false : 'dist/ is not built: run npm run build';
const gzip = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

/**
 * Per measure: the goal's ceiling (goal + 25 %), and the backstop that holds while the goal is
 * missed (today's figure + 25 %; a measure under its ceiling has the ceiling as its backstop).
 * Today (views, words, flows, http, the refresh with the lock, the passkey controller, the steps'
 * and linked forms' views, the code form, the signed-in view, the other elements' views, the
 * words beyond the first views and the adapter on demand; css minified; the script tag's files
 * through Terser too): the script tag 21.6 KB, a page before anyone acts 29.9 KB (under its
 * goal), an app 27.2 KB (an element's own entry carries its first views and the English words
 * they show).
 */
const LIMITS = {
  script: { ceiling: 25 * KB, backstop: 25 * KB },
  page: { ceiling: 37.5 * KB, backstop: 37.5 * KB },
  app: { ceiling: 22.5 * KB, backstop: 34 * KB },
};

const FACTORY: Record<string, string> = {
  cloudbase: 'cloudbaseProvider',
  'tencent-ciam': 'tencentCiamProvider',
  'alibaba-idaas': 'alibabaIdaasProvider',
  'zhuyun-idaas': 'zhuyunIdaasProvider',
  janrain: 'janrainProvider',
  oidc: 'oidcProvider',
};

/** Asserts the backstop; the ceiling is a TODO while over it (see the header). */
function check(t: { todo(message?: string): void; diagnostic(message: string): void }, what: string, size: number, limits: { ceiling: number; backstop: number }): void {
  assert.ok(size <= limits.backstop, `${what} is ${kb(size)} gzip, over the ${kb(limits.backstop)} backstop`);
  const by = size - limits.ceiling;
  t.diagnostic(`${what}: ${kb(size)} gzip; ceiling ${kb(limits.ceiling)} (${by > 0 ? `${kb(by)} over` : `${kb(-by)} under`})`);
  if (by > 0) t.todo(`${what} is ${kb(size)} gzip, ${kb(by)} over its ${kb(limits.ceiling)} ceiling (issue 19)`);
}

/** A script-tag chunk and the chunks it imports statically, as files under dist/. */
function chunkClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g)) chunkClosure(resolve(file, '..', specifier!), seen);
  return seen;
}

/** The chunks the script tag's entry imports on demand, each with the sources its map names. */
function lazyChunks(): Array<{ file: string; sources: string[] }> {
  const loads = scriptLoads(readFileSync(IIFE, 'utf8')).map((chunk) => resolve(DIST, chunk));
  return [...new Set(loads)].map((file) => {
    const map = `${file}.map`;
    const sources = existsSync(map) ? (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources.map((s) => s.replace(/\\/g, '/')) : [];
    return { file, sources };
  });
}

describe('bundle size ceilings (goal + 25 %)', { skip: BUILT }, () => {
  it(`the script tag, initial: ${kb(LIMITS.script.ceiling)}`, (t) => {
    check(t, `dist/${SCRIPT_ENTRY.name}.js`, gzip(IIFE), LIMITS.script);
  });

  for (const type of BACKENDS) {
    it(`a page with the script tag, <auth-login> and ${type}: ${kb(LIMITS.page.ceiling)}`, (t) => {
      const adapter = lazyChunks().find((chunk) => new RegExp(`/${type}-[\\w-]+\\.js$`).test(chunk.file));
      assert.ok(adapter, `the script tag loads no ${type} chunk`);
      // What the page loads before anyone acts: the script, <auth-login>'s own chunks (its views,
      // its styles) and the English words; each with what it imports statically.
      const page = new Set([IIFE]);
      for (const chunk of lazyChunks().filter((c) => c.sources.some((s) => s.includes('src/components/auth-login/') || s.endsWith('src/i18n/en.ts')))) chunkClosure(chunk.file, page);
      const size = [...page].reduce((sum, file) => sum + gzip(file), 0);
      check(t, `script tag + <auth-login> + ${type}, before anyone acts (${page.size} files)`, size, LIMITS.page);
      // And once a password sign-in ran (the adapter, its flow's chunk, http's and the refresh a
      // session brings, and the signed-in view with the words it shows): reported beside it.
      const after = ['src/core/flows/password.ts', 'src/core/util/http.ts', 'src/core/refresh-coordinator.ts', 'src/components/views/signed-in.ts', 'src/i18n/en-more.ts'];
      const flows = lazyChunks().filter((c) => c.sources.some((s) => after.some((end) => s.endsWith(end))));
      const signedIn = new Set(page);
      for (const chunk of [adapter, ...flows]) chunkClosure(chunk.file, signedIn);
      t.diagnostic(`after a password sign-in: ${kb([...signedIn].reduce((sum, file) => sum + gzip(file), 0))} gzip (${signedIn.size} files)`);
    });

    it(`an app: configure(), auth-elements/providers/${type} and auth-elements/auth-login, lit inside: ${kb(LIMITS.app.ceiling)}`, async (t) => {
      const name = FACTORY[type]!;
      const app = await bundleApp(`import { configure } from 'auth-elements';\nimport { ${name} } from 'auth-elements/providers/${type}';\nimport 'auth-elements/auth-login';\nconfigure({ provider: ${name}({}) });\n`);
      check(t, `ESM app with <auth-login> + ${type}`, app.initialGzip, LIMITS.app);
    });
  }
});
