// The `doc` line of each row of a backend's settings table (src/backends/<type>.ts) is for
// README, custom-elements.json and the typings, which read it from the source; nothing reads it
// at run time. Both builds drop it (vite.config.ts), so no page downloads those sentences, and
// test/node/setting-docs.node.test.ts checks the built files carry none of them.

/** A settings table module: src/backends/<type>.ts, not the shared table.ts, index.ts, facts.ts or check.ts. */
export const SETTINGS_MODULE = /[\\/]src[\\/]backends[\\/](?!table\.ts$|index\.ts$|facts\.ts$|check\.ts$)[\w-]+\.ts$/;

/** `doc: '…'`, `doc: "…"` or `doc: \`…\`` (no substitution), with the comma before it. */
const DOC_PROPERTY = /,\s*doc:\s*(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\$]|\\.)*`)/g;

/** Every `doc` sentence of a settings module's source, as written (quotes removed). */
export function settingDocs(source) {
  return [...source.matchAll(DOC_PROPERTY)].map((m) => m[0].replace(/^,\s*doc:\s*/, '').slice(1, -1));
}

/** The source without its `doc` properties. */
export function stripSettingDocs(source) {
  return source.replace(DOC_PROPERTY, '');
}

/** A Vite plugin that strips the `doc` properties of the settings tables before bundling. */
export function dropSettingDocs() {
  return {
    name: 'auth-elements:drop-setting-docs',
    enforce: 'pre',
    transform(code, id) {
      if (!SETTINGS_MODULE.test(id.split('?')[0])) return null;
      return { code: stripSettingDocs(code), map: null };
    },
  };
}
