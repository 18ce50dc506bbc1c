// Where the elements' views come from (issue 19), against the built package: an element's own
// entry (`auth-elements/auth-login`) carries its views and the English words in its initial code,
// so its first render waits for no second request; `auth-elements/define` and the script tag,
// which bring every element, fetch them on demand, and the script tag starts that fetch as its
// first statement. The client's flows are on demand everywhere. Skipped until `npm run build`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, SCRIPT_ENTRY } from '../../scripts/entries.mjs';
import { bundleApp, scriptLoads, sourcesOf } from '../support/bundle.js';

const DIST = resolve(ROOT, 'dist');
const IIFE = resolve(DIST, `${SCRIPT_ENTRY.name}.js`);
const BUILT = existsSync(IIFE) && existsSync(resolve(DIST, 'auth-login.js')) ? false : 'dist/ is not built: run npm run build';

/** The sources (`src/…`) in an app's initial code: dist/'s ESM files name theirs in comments. */
async function initialSources(code: string): Promise<string[]> {
  const built = await bundleApp(code);
  return built.initialModules
    .filter((id) => id.startsWith('dist/'))
    .flatMap((id) => [...readFileSync(resolve(ROOT, id), 'utf8').matchAll(/^\/\/ (src\/\S+)$/gm)].map((m) => m[1]!));
}

describe('where the elements\' views come from', { skip: BUILT }, () => {
  it('auth-elements/auth-login: its views and the English words in the initial code, not the flows', async () => {
    const sources = await initialSources("import 'auth-elements/auth-login';\n");
    for (const source of ['src/components/auth-login/views.ts', 'src/components/views/sign-in.ts', 'src/i18n/en.ts']) assert.ok(sources.includes(source), `${source} is in the initial code`);
    for (const source of ['src/core/flows/password.ts', 'src/i18n/zh-cn.ts', 'src/core/passkey-ceremony.ts']) assert.ok(!sources.includes(source), `${source} loads on demand`);
    // The one-time-code form comes when its tab is pointed at or opened (views/otp-part.ts).
    assert.ok(sources.includes('src/components/views/otp-part.ts') && !sources.includes('src/components/views/otp.ts'), 'the code form loads on demand');
    assert.ok(!sources.includes('src/i18n/en-more.ts'), 'the words beyond the first views load with the parts that show them');
  });

  it('auth-elements/auth-otp: the code form is its first view, in the initial code', async () => {
    const sources = await initialSources("import 'auth-elements/auth-otp';\n");
    for (const source of ['src/components/auth-otp/views.ts', 'src/components/views/otp.ts', 'src/i18n/en.ts', 'src/i18n/en-more.ts']) assert.ok(sources.includes(source), `${source} is in the initial code`);
  });

  it('auth-elements/define: every element, their views and words on demand', async () => {
    const sources = await initialSources("import 'auth-elements/define';\n");
    assert.ok(sources.includes('src/components/auth-login/auth-login.ts'), 'the element classes are there');
    for (const source of ['src/components/auth-login/views.ts', 'src/components/views/sign-in.ts', 'src/i18n/en.ts', 'src/core/flows/password.ts']) {
      assert.ok(!sources.includes(source), `${source} loads on demand`);
    }
  });

  it('the script tag: no views in its file, and the first thing it fetches is the views chunk', () => {
    const own = sourcesOf(IIFE);
    assert.ok(own.includes('src/components/auth-login/auth-login.ts'), 'the element classes are there');
    assert.ok(!own.some((s) => s.startsWith('src/components/views/') || s.endsWith('/views.ts')), 'no views in the script');
    // The views chunk: the one the elements' `static views` load.
    const code = readFileSync(IIFE, 'utf8');
    const views = scriptLoads(code).find((chunk) => sourcesOf(resolve(DIST, chunk)).includes('src/components/auth-login/views.ts'));
    assert.ok(views, 'the script loads a views chunk');
    // Top-level statements run in the file's order: the fetch starts before any element class.
    const firstFetch = code.indexOf(`./${views}`);
    const firstElement = code.search(/static\s*\{\s*this\.views\s*=/);
    assert.ok(firstElement > 0, 'the element classes declare their views');
    assert.ok(firstFetch < firstElement, `the views fetch (at ${firstFetch}) starts before the first element class (at ${firstElement})`);
    // <auth-login>'s first view only: the code form and the other elements' views are chunks of their own.
    const viewSources = sourcesOf(resolve(DIST, views));
    for (const source of ['src/components/views/otp.ts', 'src/components/auth-user/views.ts', 'src/components/auth-otp/views.ts', 'src/components/base/passkey-registration.ts']) {
      assert.ok(!viewSources.includes(source), `${source} is not in <auth-login>'s views chunk`);
    }
  });
});
