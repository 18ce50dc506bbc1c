// An app made of `code` (importing `auth-elements/…`), bundled as a user's app would be: vite,
// ESM, minified, lit inside, against the built package (dist/ through package.json "exports").
// What it loads before it runs (initial) and what it may import later (lazy), in gzip bytes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import { ROOT } from '../../scripts/entries.mjs';

export interface BundledApp {
  initialGzip: number;
  lazyGzip: number;
  /** Module ids (relative to the repository) in the initial chunks. */
  initialModules: string[];
}

const gzip = (code: string) => gzipSync(code, { level: 9 }).length;

export async function bundleApp(code: string): Promise<BundledApp> {
  // Inside the package, so that `auth-elements/…` resolves through its own "exports".
  const dir = mkdtempSync(join(ROOT, 'test/node/.bundle-'));
  try {
    const entry = join(dir, 'app.js');
    writeFileSync(entry, code);
    const result = await build({
      configFile: false,
      root: ROOT,
      publicDir: false,
      logLevel: 'silent',
      mode: 'production',
      build: {
        target: 'es2022',
        write: false,
        minify: true,
        sourcemap: false,
        modulePreload: false,
        copyPublicDir: false,
        reportCompressedSize: false,
        rolldownOptions: { input: entry, output: { format: 'es' } },
      },
    });
    const output = (Array.isArray(result) ? result[0] : result) as Rolldown.RolldownOutput;
    const chunks = output.output.filter((item): item is Rolldown.OutputChunk => item.type === 'chunk');
    const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
    const initial = new Set<string>();
    const visit = (name: string) => {
      if (initial.has(name)) return;
      initial.add(name);
      for (const next of byName.get(name)?.imports ?? []) visit(next);
    };
    visit(chunks.find((chunk) => chunk.isEntry)!.fileName);
    const sum = (list: Rolldown.OutputChunk[]) => list.reduce((total, chunk) => total + gzip(chunk.code), 0);
    return {
      initialGzip: sum(chunks.filter((chunk) => initial.has(chunk.fileName))),
      lazyGzip: sum(chunks.filter((chunk) => !initial.has(chunk.fileName))),
      initialModules: chunks.filter((chunk) => initial.has(chunk.fileName)).flatMap((chunk) => Object.keys(chunk.modules).map((id) => relative(ROOT, id))),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
