// README's "One backend, smallest bundle", as written, against the built package (dist/ through
// package.json "exports"): in Node, the recipe's client starts with that backend's stand-in and
// holds its real adapter once prepare() brought it (no session to keep: not at start-up); bundled as an app would bundle it, its initial code carries
// no adapter (that backend's is a chunk of its own). Skipped until `npm run build`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../scripts/entries.mjs';
import { codeBlocks, readmeSection } from '../support/readme.js';
import { bundleApp } from '../support/bundle.js';

const BUILT = existsSync(resolve(ROOT, 'dist/providers/zhuyun-idaas.js')) ? false : 'dist/ is not built: run npm run build';
const recipe = () => {
  const [code] = codeBlocks(readmeSection('One backend, smallest bundle'), 'js');
  assert.ok(code, 'README shows the recipe');
  return code;
};

describe("README's small-bundle recipe, from dist/", { skip: BUILT }, () => {
  it('runs as written: the default client starts with the Zhuyun stand-in and holds the adapter once prepared', async () => {
    // Inside the package, so that `auth-elements/…` resolves through its own "exports" (dist/).
    const dir = mkdtempSync(join(ROOT, 'test/node/.recipe-'));
    try {
      const file = join(dir, 'recipe.mjs');
      const check = `
import { getClient } from 'auth-elements';
const adapter = getClient()?.adapter;
const before = { load: typeof adapter?.load, signIn: typeof adapter?.signInWithPassword };
await getClient()?.ready;
const ready = { load: typeof adapter?.load };
getClient()?.prepare();
for (let i = 0; i < 1000 && adapter?.load; i++) await new Promise((resolve) => setTimeout(resolve, 10));
console.log('RESULT ' + JSON.stringify({ type: adapter?.type, before, ready, load: typeof adapter?.load, signIn: typeof adapter?.signInWithPassword, defined: !!customElements.get('auth-login') }));
getClient()?.destroy();`;
      writeFileSync(file, `${recipe()}\n${check}\n`);
      const stdout = await new Promise<string>((done, fail) =>
        execFile(process.execPath, [file], { cwd: ROOT, timeout: 60_000 }, (error, out, err) => (error ? fail(new Error(`${error.message}\n${err}`)) : done(out))),
      );
      const result = JSON.parse(/RESULT (.*)/.exec(stdout)?.[1] ?? 'null');
      // No session to keep: the adapter comes when someone reaches for a form (prepare()), not at start-up.
      assert.deepEqual(result, { type: 'zhuyun-idaas', before: { load: 'function', signIn: 'undefined' }, ready: { load: 'function' }, load: 'undefined', signIn: 'function', defined: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bundled, its initial code carries no adapter: Zhuyun\'s is a chunk', async () => {
    const built = await bundleApp(recipe());
    // dist/'s ESM files name their sources (`// src/providers/zhuyun-idaas/zhuyun-idaas.ts`).
    const sources = built.initialModules
      .filter((id) => id.startsWith('dist/'))
      .flatMap((id) => [...readFileSync(resolve(ROOT, id), 'utf8').matchAll(/^\/\/ (src\/\S+)$/gm)].map((m) => m[1]!));
    // An adapter's own module is src/providers/<type>/<type>.ts (its entry, index.ts, is the stand-in).
    const adapters = sources.filter((id) => /^src\/providers\/([\w-]+)\/(?!index\.ts$)[\w-]+\.ts$/.test(id) && !id.startsWith('src/providers/shared/'));
    assert.ok(sources.includes('src/providers/zhuyun-idaas/index.ts'), 'the stand-in is there');
    assert.deepEqual(adapters, [], 'the initial code carries no adapter code');
  });
});
