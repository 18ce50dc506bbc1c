import type { PendingStep } from '../../contract/index.js';
import type { ViewHost } from './host.js';
import { later, type LaterHost } from './later.js';
import type { StepHost } from './steps.js';

/** The steps' views and the forms behind a link: a chunk the first view does not need. */
const views = later(() => import('./later-views.js'));

type LaterViews = typeof import('./later-views.js');

/** The view of a pending step, its code loaded the first time one is shown. */
export function stepPart(host: StepHost & LaterHost, step: PendingStep): unknown {
  // Offline, the step can still be abandoned (every step has a way back).
  const back = () => {
    host.auth.client?.cancelStep();
    host.form.focus('first');
  };
  return views(host, (module) => module.stepView(host, step), back);
}

/** A form behind a link (sign-up, a forgotten password, a new password); offline, back to sign-in. */
export function formPart(host: LaterHost & { go(view: 'sign-in'): void }, draw: (module: LaterViews) => unknown): unknown {
  return views(host, draw, () => host.go('sign-in'));
}

/**
 * Starts loading them before they are drawn: while a request is on its way (a step may answer
 * it), and when a person points at or focuses a link to one of the forms.
 */
export const prefetchParts = views.prefetch;

/** Opens a form behind a link once its code is here (or could not load): no empty view between, focus stays on the link meanwhile. */
export function openPart(host: Pick<ViewHost, 'i18n'>, open: () => void): void {
  void views.ready(host).then(open);
}
