// The links Janrain's emails bring a person back with. [?] Both carry the code as
// `?verification_code=` (the reference server's choice; the link is flow configuration): a
// password reset link opens `redirectUri`, a verify-email link opens `verifyEmailUri`. The page
// tells them apart, so email verification is offered only when the site gives it its own page.
import type { StepRequest } from '../../contract/index.js';
import type { JanrainSettings } from '../../backends/janrain.js';

/** A link step's handle: the code from the link (and the access token a reset code gave), in memory only. */
export interface LinkContext {
  code: string;
  accessToken?: string;
}

const PARAM = 'verification_code';

export function linkStep(url: URL, settings: Pick<JanrainSettings, 'verifyEmailUri'>): { step: StepRequest; params: string[] } | null {
  const code = url.searchParams.get(PARAM);
  if (!code || code.length > 512) return null;
  const context: LinkContext = { code };
  const step: StepRequest = settings.verifyEmailUri && samePage(url, settings.verifyEmailUri)
    ? { kind: 'verify_email', context }
    : { kind: 'recovery', stage: 'new_password', delivery: 'link', channel: 'email', context };
  return { step, params: [PARAM] };
}

/** The page `page` names: same origin and path, and each of its query parameters with its value. */
function samePage(url: URL, page: string): boolean {
  let target: URL;
  try {
    target = new URL(page);
  } catch {
    return false;
  }
  if (url.origin !== target.origin || url.pathname !== target.pathname) return false;
  for (const [name, value] of target.searchParams) if (url.searchParams.get(name) !== value) return false;
  return true;
}
