// README's "One backend, smallest bundle", as written, against the built package (dist/ through
// package.json "exports"): in Node, the recipe's client holds that backend's real adapter, with
// nothing to load; bundled as an app would bundle it, its initial code carries that adapter and
// no other. Skipped until `npm run build`.
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
  it('runs as written: the default client holds the Zhuyun adapter itself, nothing left to load', async () => {
    // Inside the package, so that `auth-elements/…` resolves through its own "exports" (dist/).
    const dir = mkdtempSync(join(ROOT, 'test/node/.recipe-'));
    try {
      const file = join(dir, 'recipe.mjs');
      const check = `
import { getClient } from 'auth-elements';
const adapter = getClient()?.adapter;
console.log('RESULT ' + JSON.stringify({ type: adapter?.type, load: typeof adapter?.load, signIn: typeof adapter?.signInWithPassword, defined: !!customElements.get('auth-login') }));
getClient()?.destroy();`;
      writeFileSync(file, `${recipe()}\n${check}\n`);
      const stdout = await new Promise<string>((done, fail) =>
        execFile(process.execPath, [file], { cwd: ROOT, timeout: 60_000 }, (error, out, err) => (error ? fail(new Error(`${error.message}\n${err}`)) : done(out))),
      );
      const result = JSON.parse(/RESULT (.*)/.exec(stdout)?.[1] ?? 'null');
      assert.deepEqual(result, { type: 'zhuyun-idaas', load: 'undefined', signIn: 'function', defined: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bundled, its initial code carries the Zhuyun adapter and no other backend', async () => {
    const built = await bundleApp(recipe());
    // dist/'s ESM files name their sources (`// src/providers/zhuyun-idaas/zhuyun-idaas.ts`).
    const sources = built.initialModules
      .filter((id) => id.startsWith('dist/'))
      .flatMap((id) => [...readFileSync(resolve(ROOT, id), 'utf8').matchAll(/^\/\/ (src\/\S+)$/gm)].map((m) => m[1]!));
    const adapters = [...new Set(sources.filter((id) => id.startsWith('src/providers/') && id.split('/').length > 3 && !id.startsWith('src/providers/shared/')).map((id) => id.split('/')[2]))];
    assert.deepEqual(adapters, ['zhuyun-idaas'], 'the initial code carries one adapter');
  });
});
