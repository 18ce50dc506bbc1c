// @custom-elements-manifest/analyzer: `npm run analyze` writes ./custom-elements.json from the
// element sources (class JSDoc: @summary, @fires, @slot, @csspart, @cssproperty; Lit's
// `static properties` become attributes). test/node/manifest.node.test.ts fails when the
// committed manifest is stale.
import { readdirSync, readFileSync } from 'node:fs';

export default {
  globs: ['src/components/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.node.test.ts', 'src/**/*.passkey.test.ts'],
  outdir: '.',
  litelement: true,
  // Leave package.json alone: its "customElements" field is already set, and the analyzer
  // would rewrite the whole file to turn "./custom-elements.json" into "custom-elements.json".
  packagejson: false,
  plugins: [defineElementPlugin(), litStatePlugin(), backendSettingsPlugin(), sortModulesPlugin()],
};

/**
 * Our tags are registered through `defineElement('<tag>', Class)`
 * (src/components/base/define-element.ts), a guard around `customElements.define`. The analyzer
 * only recognizes literal `customElements.define('<tag>', Class)` calls, so without this plugin
 * no class gets a `tagName`, and the guard's own `customElements.define(tag, element)` shows up
 * as a definition of a tag named "tag". This plugin:
 *  - reads every `defineElement('<tag>', Class)` call and records the definition (tag → class,
 *    exported from the define module, declared where the class is);
 *  - drops definitions whose class is declared nowhere (the guard's generic call);
 *  - points re-exports (`import { X } from './x.js'; export { X }`) at the module that declares X
 *    (the analyzer leaves them pointing at the re-exporting module).
 */
function defineElementPlugin() {
  let calls = [];
  return {
    name: 'auth-elements:define-element',
    initialize() {
      calls = [];
    },
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node)) return;
      if (!ts.isIdentifier(node.expression) || node.expression.text !== 'defineElement') return;
      const [tag, klass] = node.arguments;
      if (tag && ts.isStringLiteralLike(tag) && klass && ts.isIdentifier(klass)) {
        calls.push({ module: moduleDoc.path, tag: tag.text, className: klass.text });
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      const modules = customElementsManifest.modules;
      const homeOf = (name) => modules.find((m) => m.declarations?.some((d) => d.name === name));

      for (const module of modules) {
        module.exports = (module.exports ?? []).filter(
          (e) => e.kind !== 'custom-element-definition' || homeOf(e.declaration?.name),
        );
        for (const e of module.exports) {
          const declared = module.declarations?.some((d) => d.name === e.declaration?.name);
          if (e.declaration?.module === module.path && !declared) {
            const home = homeOf(e.declaration.name);
            if (home) e.declaration.module = home.path;
          }
        }
      }

      for (const call of calls) {
        const module = modules.find((m) => m.path === call.module);
        const home = homeOf(call.className);
        const klass = home?.declarations.find((d) => d.name === call.className);
        if (!module || !klass) {
          console.warn(`[cem] defineElement('${call.tag}', ${call.className}) in ${call.module}: class not found`);
          continue;
        }
        klass.tagName = call.tag;
        klass.customElement = true;
        const exists = module.exports.some((e) => e.kind === 'custom-element-definition' && e.name === call.tag);
        if (!exists) {
          module.exports.push({
            kind: 'custom-element-definition',
            name: call.tag,
            declaration: { name: call.className, module: home.path },
          });
        }
      }
    },
  };
}

/**
 * Lit's `static properties = { busy: { state: true } }` is internal reactive state: no attribute,
 * and not API. The analyzer's Lit support only knows `attribute: false`, and would list `busy` as
 * a public attribute and property. This plugin removes every `state: true` property.
 */
function litStatePlugin() {
  let states = [];
  return {
    name: 'auth-elements:lit-state',
    initialize() {
      states = [];
    },
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      for (const member of node.members) {
        const isStatic = ts.getModifiers?.(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        if (!isStatic || !ts.isPropertyDeclaration(member) || member.name.getText() !== 'properties') continue;
        const object = member.initializer;
        if (!object || !ts.isObjectLiteralExpression(object)) continue;
        for (const property of object.properties) {
          if (!ts.isPropertyAssignment(property) || !ts.isObjectLiteralExpression(property.initializer)) continue;
          const isState = property.initializer.properties.some(
            (option) =>
              ts.isPropertyAssignment(option) &&
              option.name.getText() === 'state' &&
              option.initializer.kind === ts.SyntaxKind.TrueKeyword,
          );
          if (isState) states.push({ module: moduleDoc.path, className: node.name.text, name: property.name.getText() });
        }
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      // The declaring class and every subclass that inherited the property lose the attribute.
      const isState = (className, name) => states.some((s) => s.className === className && s.name === name);
      for (const module of customElementsManifest.modules) {
        for (const klass of module.declarations ?? []) {
          const owner = (entry) => entry.inheritedFrom?.name ?? klass.name;
          klass.attributes = klass.attributes?.filter((a) => !isState(owner(a), a.fieldName));
          if (klass.attributes?.length === 0) delete klass.attributes;
          klass.members = klass.members?.filter((member) => !isState(owner(member), member.name));
          if (klass.members?.length === 0) delete klass.members;
        }
      }
    },
  };
}

/**
 * `<auth-config>` takes its backend attributes from the settings tables in src/backends/ (one
 * table per backend, STYLE.md habit 15), spread into `static properties` at run time, which the
 * analyzer cannot see. This plugin reads each table row
 * (`name: setting.kind({ attribute, property?, required?, doc })`) and lists the attribute and
 * its property on AuthConfig, with the backends that read it.
 */
function backendSettingsPlugin() {
  const dir = new URL('./src/backends/', import.meta.url);
  const string = `'((?:[^'\\\\]|\\\\.)*)'`;
  const row = new RegExp(`^\\s*(\\w+): setting\\.(\\w+)(?:<[^>]*>\\(\\))?\\(\\{([^\\n]*)\\}\\),?$`, 'gm');
  const field = (text, name) => new RegExp(`${name}: ${string}`).exec(text)?.[1]?.replace(/\\'/g, "'");
  const TYPES = { string: 'string', boolean: 'boolean', list: 'string[]', json: 'object' };
  return {
    name: 'auth-elements:backend-settings',
    packageLinkPhase({ customElementsManifest }) {
      const settings = new Map();
      for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts') && !['index.ts', 'table.ts'].includes(name)).sort()) {
        const backend = file.slice(0, -3);
        for (const [, name, kind, options] of readFileSync(new URL(file, dir), 'utf8').matchAll(row)) {
          const attribute = field(options, 'attribute');
          const entry = settings.get(attribute) ?? { attribute, fieldName: field(options, 'property') ?? name, kind, docs: new Map(), backends: [] };
          entry.backends.push(backend);
          entry.docs.set(field(options, 'doc'), [...(entry.docs.get(field(options, 'doc')) ?? []), backend]);
          settings.set(attribute, entry);
        }
      }
      const klass = customElementsManifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.name === 'AuthConfig');
      if (!klass) return;
      klass.attributes ??= [];
      klass.members ??= [];
      for (const entry of [...settings.values()].sort((a, b) => (a.attribute < b.attribute ? -1 : 1))) {
        const description = [...entry.docs].map(([doc, backends]) => `${backends.join(', ')}: ${doc}`).join(' ');
        const type = { text: TYPES[entry.kind] ?? 'string' };
        if (!klass.attributes.some((a) => a.name === entry.attribute)) klass.attributes.push({ name: entry.attribute, type, description, fieldName: entry.fieldName });
        if (!klass.members.some((m) => m.name === entry.fieldName)) klass.members.push({ kind: 'field', name: entry.fieldName, type, description, attribute: entry.attribute });
      }
    },
  };
}

/**
 * The analyzer lists modules in the order the file system hands them over, which differs
 * between runs (the staleness test saw it flip). Sorting by path makes the output stable.
 */
function sortModulesPlugin() {
  return {
    name: 'auth-elements:sort-modules',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}
