import type { FieldProblem, PasswordPolicy } from '../../contract/index.js';

/** Checks a new password against a backend's policy; returns the broken rule, or null. */
export function checkPassword(password: string, policy: PasswordPolicy | undefined): Extract<FieldProblem, 'too_short' | 'too_long' | 'pattern'> | null {
  if (!policy) return null;
  if (policy.minLength !== undefined && password.length < policy.minLength) return 'too_short';
  if (policy.maxLength !== undefined && password.length > policy.maxLength) return 'too_long';
  if (policy.pattern) {
    try {
      if (!new RegExp(`^(?:${policy.pattern})$`, 'u').test(password)) return 'pattern';
    } catch {
      // A pattern this browser cannot compile is left to the backend to enforce.
    }
  }
  return null;
}
