/** A backend's rules for a new password, checked before anything is sent. */
export interface PasswordPolicy {
  minLength?: number;
  maxLength?: number;
  /** A regular expression source the whole password must match. */
  pattern?: string;
  /** The backend's own description of the rule, shown as the backend wrote it (labelled so). */
  tip?: string;
}
