// A language's words come in two chunks (i18n/index.ts): those of the first views (en.ts,
// zh-cn.ts) and the rest (en-more.ts, zh-cn-more.ts), which only the parts that show them load
// (the steps and the forms behind a link, <auth-login>'s code form and signed-in view, the other
// elements' views, <auth-profile>'s sections). A word named by any other code must be among the
// first, or it would show empty until some part brought the rest: this reads, in the built script
// tag, which module lands in which chunk, and the words each module names. Skipped until
// `npm run build`.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, SCRIPT_ENTRY } from '../../scripts/entries.mjs';
import { en } from '../../src/i18n/en.js';
import { enMore } from '../../src/i18n/en-more.js';
import { zhCN } from '../../src/i18n/zh-cn.js';
import { zhCNMore } from '../../src/i18n/zh-cn-more.js';
import { sourcesOf } from '../support/bundle.js';

const DIST = resolve(ROOT, 'dist');
const IIFE = resolve(DIST, `${SCRIPT_ENTRY.name}.js`);
const BUILT = existsSync(IIFE) ? false : 'dist/ is not built: run npm run build';

/** The chunks that load the rest of the words with them, each known by one module it holds. */
const LATER = ['src/components/views/steps.ts', 'src/components/views/otp.ts', 'src/components/views/signed-in.ts', 'src/components/auth-user/views.ts', 'src/components/auth-profile/views.ts'];

describe('the words of the first views', () => {
  it('the first words and the rest share no word, and Chinese splits as English does', () => {
    const first = Object.keys(en.ui);
    const more = Object.keys(enMore);
    assert.deepEqual(first.filter((key) => more.includes(key)), []);
    assert.deepEqual(Object.keys(zhCN.ui).sort(), [...first].sort());
    assert.deepEqual(Object.keys(zhCNMore).sort(), [...more].sort());
  });

  it('every word named outside the parts that load the rest is among the first', { skip: BUILT }, () => {
    const chunks = [IIFE, ...readdirSync(resolve(DIST, 'script')).filter((name) => name.endsWith('.js')).map((name) => resolve(DIST, 'script', name))].map(sourcesOf);
    const later = chunks.filter((sources) => LATER.some((module) => sources.includes(module)));
    assert.equal(later.length, LATER.length, 'each part that loads the rest is a chunk of its own');
    const modules = new Set(chunks.filter((sources) => !later.includes(sources)).flat().filter((s) => s.startsWith('src/') && !/^src\/i18n\/(en|zh-cn)(-more)?\.ts$/.test(s)));
    assert.ok(modules.has('src/components/auth-login/views.ts') && modules.has('src/core/client.ts'), 'the first views and the client are read');
    const first = new Set(Object.keys(en.ui));
    const missing: string[] = [];
    for (const module of modules) {
      const text = readFileSync(resolve(ROOT, module), 'utf8');
      for (const key of Object.keys(enMore)) if (text.includes(`'${key}'`)) missing.push(`${module} names '${key}'`);
    }
    assert.deepEqual(missing, [], 'words named by the first views that only the rest carries');
    // And the other way: a first word no code outside those parts names costs every page its bytes.
    const named = new Set([...modules].flatMap((module) => [...first].filter((key) => readFileSync(resolve(ROOT, module), 'utf8').includes(`'${key}'`))));
    assert.deepEqual([...first].filter((key) => !named.has(key)), [], 'first words only the later parts name (move them to en-more.ts)');
  });
});
