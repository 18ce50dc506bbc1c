import { css } from 'lit';

/** `<auth-profile>`'s own look, over the shared form styles: sections, rows, badges. */
export const profileStyles = css`
  :where(auth-profile) {
    display: block;
  }
  :where(auth-profile .auth-card) {
    max-inline-size: var(--auth-max-width, 32rem);
  }
  :where(auth-profile [part~='section']) {
    display: grid;
    gap: 0.75rem;
    padding-block-start: var(--auth-gap, 1rem);
    border-block-start: 1px solid color-mix(in srgb, CanvasText 14%, Canvas);
  }
  :where(auth-profile [part~='section-heading']) {
    margin: 0;
    font-size: 1.0625rem;
    font-weight: 650;
  }
  :where(auth-profile [part~='rows']) {
    display: grid;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  :where(auth-profile [part~='row']) {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.75rem;
    margin: 0;
  }
  /* A value keeps its words whole (an address moves below its label rather than break); only a
     word wider than the card breaks. */
  :where(auth-profile [part~='row'] > [part~='value']) {
    flex: 1 1 5rem;
    max-inline-size: 100%;
    overflow-wrap: break-word;
  }
  :where(auth-profile dl[part~='rows'] [part~='label']) {
    flex: 0 0 7rem;
    font-weight: 400;
    color: color-mix(in srgb, CanvasText 64%, Canvas);
  }
  :where(auth-profile dd[part~='value']) {
    flex: 1 1 6rem;
    margin: 0;
  }
  /* An overview: what is there now, and its one button beside it (below it on a narrow card). */
  :where(auth-profile [part~='overview'] fieldset) {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.75rem;
  }
  :where(auth-profile [part~='overview'] fieldset > :is([part~='rows'], [part~='row'])) {
    flex: 1 1 8rem;
  }
  :where(auth-profile [part~='overview'] fieldset > :is([part~='error'], [part~='status'])) {
    flex-basis: 100%;
  }
  :where(auth-profile [part~='muted']) {
    color: color-mix(in srgb, CanvasText 64%, Canvas);
  }
  :where(auth-profile [part~='badge']) {
    font-size: 0.8125rem;
    font-weight: 600;
    padding: 0.0625rem 0.5rem;
    border-radius: 999px;
    background: color-mix(in srgb, CanvasText 8%, Canvas);
  }
  :where(auth-profile [part~='badge'][part~='verified']) {
    background: color-mix(in srgb, #1b7f3b 16%, Canvas);
    color: color-mix(in srgb, #1b7f3b 75%, CanvasText);
  }
  :where(auth-profile [part~='row'] [part~='button']) {
    min-block-size: 2.25rem;
    padding-block: 0.25rem;
    inline-size: auto;
  }
  :where(auth-profile [part~='actions']) {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  :where(auth-profile [part~='danger']) {
    color: var(--auth-error-color, color-mix(in srgb, #d32f2f 82%, CanvasText));
  }
  /* "Unlink GitHub? …": the question on its own line, the two buttons under it. */
  :where(auth-profile [part~='confirm'] > [part~='value']) {
    flex-basis: 100%;
  }
`;
