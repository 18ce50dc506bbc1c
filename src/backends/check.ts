// A configuration checked against its backend's table, when its adapter is made: apart from the
// tables' builders (./table.ts), because only the adapters' code (a chunk) runs it, while
// `<auth-config>` in the script tag's own file reads the tables.
import { AuthError, isSecretName } from '../contract/index.js';
import type { SettingsTable } from './table.js';

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
