/* global document, window */
// The public support site's only script, and an enhancement: every page works fully without it.
//
// Quick exit. The markup is GOV.UK Frontend's "Exit this page" component (button, skip link, Shift pressed
// three times). GOV.UK's script leaves with an ordinary navigation, so Back returns to our page; this one
// blanks the page at once and then *replaces* the history entry, so Back does not land on a page about abuse.
// Without JavaScript the button and skip link are plain links to the same neutral site.

const SHIFT_PRESSES = 3;
const TIMEOUT_MS = 5000;

function initQuickExit(root) {
  const button = root.querySelector('.govuk-exit-this-page__button');
  if (!(button instanceof window.HTMLAnchorElement)) return;
  const skipLink = document.querySelector('.govuk-js-exit-this-page-skiplink');
  const text = {
    activated: root.dataset.activated || 'Loading.',
    timedOut: root.dataset.timedOut || 'Exit this page expired.',
    pressTwoMore: root.dataset.pressTwoMoreTimes || 'Shift, press 2 more times to exit.',
    pressOneMore: root.dataset.pressOneMoreTime || 'Shift, press 1 more time to exit.',
  };

  const status = document.createElement('span');
  status.setAttribute('role', 'status');
  status.className = 'govuk-visually-hidden';
  root.appendChild(status);

  const indicator = document.createElement('div');
  indicator.className = 'govuk-exit-this-page__indicator';
  indicator.setAttribute('aria-hidden', 'true');
  for (let light = 0; light < SHIFT_PRESSES; light += 1) {
    const dot = document.createElement('div');
    dot.className = 'govuk-exit-this-page__indicator-light';
    indicator.appendChild(dot);
  }
  button.appendChild(indicator);

  let presses = 0;
  let lastKeyWasModified = false;
  let pressTimer = 0;
  let messageTimer = 0;
  let overlay = null;

  function showPresses() {
    indicator.classList.toggle('govuk-exit-this-page__indicator--visible', presses > 0);
    indicator.querySelectorAll('.govuk-exit-this-page__indicator-light').forEach((dot, index) => {
      dot.classList.toggle('govuk-exit-this-page__indicator-light--on', index < presses);
    });
  }

  function leave(event) {
    if (event) event.preventDefault();
    // Hide everything first: whatever happens next, nobody looking at the screen sees this page.
    document.body.classList.add('govuk-exit-this-page-hide-content');
    overlay = document.createElement('div');
    overlay.className = 'govuk-exit-this-page-overlay';
    overlay.setAttribute('role', 'alert');
    overlay.textContent = text.activated;
    document.body.appendChild(overlay);
    document.title = text.activated;
    status.textContent = '';
    window.location.replace(button.href);
  }

  function expire() {
    window.clearTimeout(pressTimer);
    pressTimer = 0;
    presses = 0;
    status.textContent = text.timedOut;
    messageTimer = window.setTimeout(() => {
      status.textContent = '';
    }, TIMEOUT_MS);
    showPresses();
  }

  function onKeyUp(event) {
    if (event.key === 'Shift' && !lastKeyWasModified) {
      presses += 1;
      showPresses();
      window.clearTimeout(messageTimer);
      window.clearTimeout(pressTimer);
      if (presses >= SHIFT_PRESSES) {
        presses = 0;
        leave();
        return;
      }
      status.textContent = presses === 1 ? text.pressTwoMore : text.pressOneMore;
      pressTimer = window.setTimeout(expire, TIMEOUT_MS);
    } else if (pressTimer) {
      expire();
    }
    lastKeyWasModified = event.shiftKey;
  }

  // A browser that restores a page from its back-forward cache shows it as it was left: undo the blanking.
  function restore() {
    document.body.classList.remove('govuk-exit-this-page-hide-content');
    if (overlay) overlay.remove();
    overlay = null;
    presses = 0;
    showPresses();
  }

  button.addEventListener('click', leave);
  // The link looks like a button, and with this script it is announced as one and, as a button does, answers Space as
  // well as Enter. GOV.UK's Button script would add this, at the cost of fetching GOV.UK's script on every page.
  // Keydown, as GOV.UK's does, so the page does not scroll first; a held key leaves once.
  button.setAttribute('role', 'button');
  button.addEventListener('keydown', (event) => {
    if (event.key !== ' ') return;
    event.preventDefault();
    if (!event.repeat) leave(event);
  });
  if (skipLink) skipLink.addEventListener('click', leave);
  document.addEventListener('keyup', onKeyUp, true);
  window.addEventListener('pageshow', restore);
}

const quickExit = document.querySelector('[data-module="app-quick-exit"]');
if (quickExit) initQuickExit(quickExit);

// GOV.UK Frontend's script is only fetched by pages whose components need it (forms, error summaries):
// reading pages stay a few kilobytes lighter.
const NEEDS_SCRIPT = '[data-module^="govuk-"]:not([data-module="govuk-skip-link"]):not([data-module="govuk-service-navigation"])';
if (document.querySelector(NEEDS_SCRIPT) && document.body.classList.contains('govuk-frontend-supported')) {
  import('/assets/govuk-frontend.min.js').then(({ initAll }) => initAll()).catch(() => {
    // The page already works without it.
  });
}
