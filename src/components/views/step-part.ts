import type { PendingStep } from '../../contract/index.js';
import { later, type LaterHost } from './later.js';
import type { StepHost } from './steps.js';

/** The step views (second factor, captcha, password change, consent…): a chunk few sign-ins need. */
const steps = later(() => import('./steps.js'));

/**
 * The view of a pending step, its code loaded the first time a step is shown. An element calls
 * `prefetchSteps()` while a request is on its way, so that a step it answers is drawn at once.
 */
export function stepPart(host: StepHost & LaterHost, step: PendingStep): unknown {
  // Offline, the step can still be abandoned (every step has a way back).
  const back = () => {
    host.auth.client?.cancelStep();
    host.form.focus('first');
  };
  return steps(host, (module) => module.stepView(host, step), back);
}

export const prefetchSteps = steps.prefetch;
