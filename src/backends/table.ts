// One typed table per backend's settings (STYLE.md 15): the attribute of `<auth-config>`, the
// property, the setting's name and type, and whether it is required. `<auth-config>`'s
// properties, the list of what it reads, and the adapter's settings type all come from it.
import { AuthError, isSecretName } from '../contract/index.js';

export type SettingKind = 'string' | 'boolean' | 'list' | 'json';

/** One setting: how a page writes it as an attribute and what the adapter gets. */
export interface Setting<Value = unknown, Required extends boolean = boolean> {
  kind: SettingKind;
  /** The attribute of `<auth-config>` (kebab-case). */
  attribute: string;
  /** The property of `<auth-config>`, when it is not the setting's own name (taken by HTMLElement). */
  property?: string;
  required: Required;
  /** Phantom: the value's type, for SettingsOf. */
  readonly value?: Value;
}

export type SettingsTable = Record<string, Setting>;

/** The settings object an adapter factory takes, derived from its table. */
export type SettingsOf<T extends SettingsTable> = {
  [K in keyof T as T[K] extends Setting<unknown, true> ? K : never]: T[K] extends Setting<infer V> ? V : never;
} & {
  [K in keyof T as T[K] extends Setting<unknown, true> ? never : K]?: T[K] extends Setting<infer V> ? V : never;
};

/**
 * `doc`: one line for README, the manifest and the typings, which read it from this source; the
 * builds drop it (scripts/setting-docs.mjs), and a row never carries it.
 */
type Options<R extends boolean> = { attribute: string; doc: string; required?: R; property?: string };

const make = <V>(kind: SettingKind) => <R extends boolean = false>(options: Options<R>): Setting<V, R> => ({
  kind,
  attribute: options.attribute,
  ...(options.property ? { property: options.property } : {}),
  required: (options.required ?? false) as R,
});

/** Builders for table rows: `setting.string({ attribute: 'client-id', required: true, doc })`. */
export const setting = {
  string: make<string>('string'),
  boolean: make<boolean>('boolean'),
  /** A space- or comma-separated attribute; an array of strings as a property. */
  list: make<string[]>('list'),
  /** A JSON attribute; a structured value as a property. */
  json: <V>() => make<V>('json'),
};

/** An attribute's text as a setting's value (null: leave the setting out). */
export function fromAttribute(kind: SettingKind, text: string | null): unknown {
  if (text === null) return null;
  switch (kind) {
    case 'boolean':
      return text !== 'false';
    case 'list':
      return text.split(/[\s,]+/).filter(Boolean);
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    default:
      return text;
  }
}

/**
 * Checks a configuration against its table: no server secret in the page (DESIGN.md,
 * non-goals), every required setting present, each value of its kind. The first problem is
 * returned as a `config` error naming the setting in `providerCode` (`missing_setting:clientId`).
 */
export function checkSettings(table: SettingsTable, settings: object): AuthError | undefined {
  const values = settings as Record<string, unknown>;
  const secret = Object.keys(values).find((key) => values[key] && isSecretName(key));
  if (secret) return new AuthError('config', { providerCode: 'secret_in_browser' });
  for (const [name, row] of Object.entries(table)) {
    const value = values[name];
    if (value === undefined || value === null || value === '') {
      if (row.required) return new AuthError('config', { providerCode: `missing_setting:${name}` });
      continue;
    }
    const ok = row.kind === 'string' ? typeof value === 'string' : row.kind === 'boolean' ? typeof value === 'boolean' : row.kind === 'list' ? Array.isArray(value) && value.every((item) => typeof item === 'string') : true;
    if (!ok) return new AuthError('config', { providerCode: `bad_setting:${name}` });
  }
  return undefined;
}


/** `checkSettings`, plus a `bad_setting` error for each URL setting that is present but unusable. */
export function checkConfiguration(table: SettingsTable, settings: object, urls: Record<string, string>): AuthError | undefined {
  const found = checkSettings(table, settings);
  if (found) return found;
  for (const [name, resolved] of Object.entries(urls)) {
    if (!resolved && (settings as Record<string, unknown>)[name]) return new AuthError('config', { providerCode: `bad_setting:${name}` });
  }
  return undefined;
}
