// The settings tables' `doc` lines are for README, the manifest and the typings (read from the
// source); the builds drop them (scripts/setting-docs.mjs), so no page downloads them.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, SCRIPT_CHUNKS, SCRIPT_ENTRY } from '../../scripts/entries.mjs';
import { SETTINGS_MODULE, settingDocs, stripSettingDocs } from '../../scripts/setting-docs.mjs';

const BACKENDS = resolve(ROOT, 'src/backends');
const DIST = resolve(ROOT, 'dist');
const modules = readdirSync(BACKENDS).map((name) => resolve(BACKENDS, name)).filter((file) => SETTINGS_MODULE.test(file));
const built = existsSync(resolve(DIST, `${SCRIPT_ENTRY.name}.js`)) ? false : 'dist/ is not built: run npm run build';

/** The JavaScript files of both builds: the script tag and its chunks, and the ESM files. */
function builtFiles(dir = DIST): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = resolve(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'types' ? [] : builtFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

describe('settings docs stay out of the builds', () => {
  test('every doc line of every table is found, and stripping leaves none', () => {
    assert.equal(modules.length, 6);
    for (const file of modules) {
      const source = readFileSync(file, 'utf8');
      const rows = source.match(/\bsetting\.\w+(?:<[^>]*>\(\))?\(\{/g)?.length ?? 0;
      assert.equal(settingDocs(source).length, rows, `${file}: one doc per row`);
      assert.doesNotMatch(stripSettingDocs(source), /\bdoc:/, file);
    }
  });

  test('the built script tag, its chunks and the ESM files carry none of them', { skip: built }, () => {
    const docs = modules.flatMap((file) => settingDocs(readFileSync(file, 'utf8')));
    const files = builtFiles();
    assert.ok(files.some((file) => file.includes(`${SCRIPT_CHUNKS}`)) && files.some((file) => file.endsWith(`${SCRIPT_ENTRY.name}.js`)));
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      for (const doc of docs) assert.ok(!code.includes(doc), `${file} carries "${doc}"`);
    }
  });
});
