import { AuthError } from '../../contract/index.js';

// ITU-T E.164 country calling codes of one and two digits; every other code has three.
const ONE_DIGIT = /^[17]/;
const TWO_DIGITS = /^(2[07]|3[0-469]|4[013-9]|5[1-8]|6[0-6]|8[1246]|9[0-58])/;

/**
 * CloudBase wants `+86 13800138000`: the country code, one space, the national number
 * (PROVIDERS.md §6.2 [C]). Accepts E.164 (`+8613800138000`), that form already spaced, or a
 * bare national number, which is taken as mainland China (region 86, DESIGN.md).
 */
export function cloudbasePhone(input: string): string {
  const raw = input.trim();
  const spaced = /^\+(\d{1,4})[\s-]+([\d\s-]+)$/.exec(raw);
  if (spaced) return `+${spaced[1]} ${spaced[2].replace(/\D/g, '')}`;
  const digits = raw.replace(/[\s()-]/g, '');
  if (/^\d{5,15}$/.test(digits)) return `+86 ${digits}`;
  const e164 = /^\+(\d{6,15})$/.exec(digits);
  if (!e164) throw new AuthError('invalid_request', { providerCode: 'invalid_phone_number', invalid: { phone: 'invalid_phone' } });
  const all = e164[1];
  const length = ONE_DIGIT.test(all) ? 1 : TWO_DIGITS.test(all) ? 2 : 3;
  return `+${all.slice(0, length)} ${all.slice(length)}`;
}
