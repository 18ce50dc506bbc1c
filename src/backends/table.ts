// One typed table per backend's settings (STYLE.md 15): the attribute of `<auth-config>`, the
// property, the setting's name and type, and whether it is required. `<auth-config>`'s
// properties, the list of what it reads, and the adapter's settings type all come from it.

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
