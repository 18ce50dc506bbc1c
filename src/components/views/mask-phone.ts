/** `+8613800000000` → `+86 138 **** 0000`; other numbers keep their first and last digits. */
export function maskPhone(phone: string): string {
  const compact = phone.replace(/[\s()-]/g, '');
  // Already masked by the backend (`138****0000`), or not a number: shown as it came.
  if (!/^\+?\d+$/.test(compact)) return phone;
  const mainland = /^\+86(1\d{2})\d{4}(\d{4})$/.exec(compact);
  if (mainland) return `+86 ${mainland[1]} **** ${mainland[2]}`;
  const digits = compact.replace(/^\+/, '');
  if (digits.length < 7) return compact;
  return `${compact.startsWith('+') ? '+' : ''}${digits.slice(0, 3)} **** ${digits.slice(-4)}`;
}
