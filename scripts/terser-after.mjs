// The script-tag build is minified twice: Rolldown's own minifier (Oxc) first, then Terser over
// the files it wrote. Each catches what the other leaves: Oxc alone ships about 0.4 KB more on a
// page once gzipped, Terser alone more still. Only Terser's safe options: no `unsafe*`, no pure
// getters. The source maps are chained, so a stack trace still reads the TypeScript source.
// This runs on the written files, not in generateBundle: Rolldown adjusts the entry's map for its
// banner after that hook, which would shift a map replaced there.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify } from 'terser';

/** The `//# sourceMappingURL=` line: a comment, which Terser would drop. */
const MAP_URL = /(?=\n\/\/# sourceMappingURL=\S+\s*$)/;

/** A Vite plugin: each JavaScript file of the bundle, once written, through Terser. */
export function terserAfter() {
  return {
    name: 'auth-elements:terser-after',
    enforce: 'post',
    async writeBundle(options, bundle) {
      const chunks = Object.values(bundle).filter((chunk) => chunk.type === 'chunk');
      await Promise.all(chunks.map((chunk) => minifyFile(join(options.dir, chunk.fileName), chunk.isEntry)));
    },
  };
}

/**
 * @param {string} file
 * @param {boolean} classic the entry, a classic script by now (scripts/classic-script.mjs wraps it in a function)
 */
async function minifyFile(file, classic) {
  const [code, mapUrl = ''] = (await readFile(file, 'utf8')).split(MAP_URL);
  const before = mapUrl ? JSON.parse(await readFile(`${file}.map`, 'utf8')) : undefined;
  const result = await minify(code, {
    ecma: 2020,
    module: !classic,
    compress: { passes: 2 },
    sourceMap: before ? { content: before, includeSources: true, asObject: true } : false,
  });
  await writeFile(file, `${result.code}${mapUrl}`);
  if (!before || typeof result.map !== 'object') return;
  // Terser keeps neither `file` nor `ignoreList` (lit and the other dependencies, which a
  // debugger steps over): both carried over, the list by source name.
  const ignored = new Set((before.ignoreList ?? []).map((index) => before.sources[index]));
  const map = { ...result.map, file: before.file, ignoreList: result.map.sources.flatMap((source, index) => (ignored.has(source) ? [index] : [])) };
  await writeFile(`${file}.map`, JSON.stringify(map));
}
