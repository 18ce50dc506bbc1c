// An app made of `code` (importing `auth-elements/…`), bundled as a user's app would be (the
// benchmark's build: vite, ESM, minified, lit inside), against the built package: dist/ through
// package.json "exports". What it loads before it runs (initial), in gzip bytes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEntry } from '../../bench/build.js';
import { ROOT } from '../../scripts/entries.mjs';

export interface BundledApp {
  initialGzip: number;
  /** Module ids (relative to the repository) in the initial files. */
  initialModules: string[];
}

export async function bundleApp(code: string): Promise<BundledApp> {
  // Inside the package, so that `auth-elements/…` resolves through its own "exports".
  const dir = mkdtempSync(join(ROOT, 'test/node/.bundle-'));
  try {
    const entry = join(dir, 'app.js');
    writeFileSync(entry, code);
    const built = await buildEntry('app', join(dir, 'out'), entry);
    return { initialGzip: built.initial.gzip, initialModules: built.initialModules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sources (`src/…`, `node_modules/…`) a built file of dist/ is made of, from its source map. */
export const sourcesOf = (file: string): string[] => (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources.map((s) => s.replace(/^(\.\.\/)+/, ''));

/**
 * The chunks the script tag's entry (`code`, dist/auth-elements.iife.js) loads on demand, as
 * paths relative to dist/ (`script/…js`), in the order the file names them. The minifier renames
 * the loader (scripts/classic-script.mjs), so they are found by their literal paths, which only
 * those loads name.
 */
export const scriptLoads = (code: string): string[] => [...code.matchAll(/["'`]\.\/(script\/[\w-]+\.js)["'`]/g)].map((m) => m[1]!);
