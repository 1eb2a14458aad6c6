/* global document, window */
// The public support site's only script, and an enhancement: every page works fully without it.
//
// Quick exit. The markup is GOV.UK Frontend's "Exit this page" component (button, skip link, Shift pressed
// three times). GOV.UK's script leaves with an ordinary navigation, so Back returns to our page; this one
// blanks the page at once and then *replaces* the history entry, so Back does not land on a page about abuse.
// Without JavaScript the button and skip link are plain links to the same neutral site.

const SHIFT_PRESSES = 3;
const TIMEOUT_MS = 5000;
const SEND_TIMEOUT_MS = 30000;
const GOVUK_SCRIPT = '/assets/govuk-frontend.min.js';

/** Whether the reader is leaving (Exit this page), and the form request on its way, which leaving stops. */
const visit = { leaving: false, sending: null };

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
    visit.leaving = true;
    if (visit.sending) visit.sending.abort();
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
    visit.leaving = false;
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

// One place in Back. Exit this page replaces the history entry it leaves from, but the pages read before it would
// still be a Back press away. So, with this script, moving between our pages replaces the entry too: the whole
// visit is one entry, which the exit then replaces, and Back goes to wherever the reader was before us. (The
// browser's history list still names each page: the safety page says how to clear it.)

/** A link to another page of ours, or to a part of this one, that the browser would open in this tab. */
function ownPageLink(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  const link = event.target instanceof window.Element ? event.target.closest('a[href]') : null;
  if (!link || (link.target && link.target !== '_self') || link.hasAttribute('download')) return null;
  const url = new window.URL(link.href, window.location.href);
  // A jump within this page (the help-now numbers, a contents list) is replaced too: the browser would add a step.
  return url.origin === window.location.origin ? url : null;
}

/**
 * A jump within the page takes focus to where it lands, as GOV.UK's skip link does ("Skip to main content" on a page
 * that does not load GOV.UK's script, "More helplines"), so a screen reader goes on from there.
 */
function focusJumpedTo(url) {
  if (!url.hash || url.pathname !== window.location.pathname || url.search !== window.location.search) return;
  const target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
  if (!target) return;
  if (!target.hasAttribute('tabindex')) {
    target.setAttribute('tabindex', '-1');
    target.classList.add('govuk-skip-link-focused-element');
    target.addEventListener('blur', () => {
      target.removeAttribute('tabindex');
      target.classList.remove('govuk-skip-link-focused-element');
    }, { once: true });
  }
  target.focus({ preventScroll: true });
}

function onClick(event) {
  const url = ownPageLink(event);
  if (!url) return;
  event.preventDefault();
  focusJumpedTo(url);
  window.location.replace(url.href);
}

function formFields(form, submitter) {
  const fields = new window.FormData(form);
  if (submitter && submitter.name) fields.append(submitter.name, submitter.value);
  return new window.URLSearchParams(fields);
}

/** The new content's first thing to read: its error summary, or else its heading. */
function focusStart(content) {
  const start = content.querySelector('.govuk-error-summary') || content.querySelector('h1');
  if (!start) return;
  start.setAttribute('tabindex', '-1');
  start.focus();
}

/** The form's answer, shown in this same entry: true if it was, false for an answer that cannot be (not a page). */
async function showAnswer(response) {
  if (visit.leaving) return true;
  if (response.redirected && response.ok && new window.URL(response.url).origin === window.location.origin) {
    // The page it led to is loaded again below, in this entry: this copy is not needed.
    response.body?.cancel().catch(() => {});
    window.location.replace(response.url);
    return true;
  }
  const answer = new window.DOMParser().parseFromString(await response.text(), 'text/html');
  const content = answer.querySelector('.govuk-main-wrapper');
  const here = document.querySelector('.govuk-main-wrapper');
  if (visit.leaving || !content || !here) return false;
  here.replaceWith(content);
  document.title = answer.title;
  window.scrollTo(0, 0);
  focusStart(content);
  // GOV.UK's script brings the new content's components to life (conditional questions, the button's double-press guard).
  import(GOVUK_SCRIPT).then(({ initAll }) => initAll({ scope: content })).catch(() => {
    // The content already works without it.
  });
  return true;
}

/**
 * Said beside the button when a request could not be sent: pressing Send again is safe (a repeat makes one request).
 * A new alert each time, so a second failure is announced too; focus back on the button, to press again.
 */
function showNotSent(form, button) {
  const earlier = form.querySelector('.app-not-sent');
  if (earlier) earlier.remove();
  const notice = document.createElement('p');
  notice.className = 'govuk-error-message app-not-sent';
  notice.setAttribute('role', 'alert');
  notice.textContent = form.dataset.notSent || '';
  if (button) button.before(notice);
  else form.append(notice);
}

/**
 * A form is sent from here and its answer shown in this same entry: a search's results (at the address it leads to),
 * a call-back request's confirmation (which replaces the form, so Back cannot show the form again). Exit this page
 * stops a request still on its way: its answer must not bring the site back over the neutral page.
 */
async function onSubmit(event) {
  const form = event.target;
  if (event.defaultPrevented || !(form instanceof window.HTMLFormElement) || (form.target && form.target !== '_self')) return;
  const action = new window.URL(form.action, window.location.href);
  // The public pages' forms all post; any other is left to the browser.
  if (action.origin !== window.location.origin || form.method.toLowerCase() !== 'post') return;
  const fields = formFields(form, event.submitter);
  event.preventDefault();
  const button = event.submitter;
  if (button) button.disabled = true;
  const sending = new window.AbortController();
  visit.sending = sending;
  const timer = window.setTimeout(() => sending.abort(), SEND_TIMEOUT_MS);
  let shown = false;
  try {
    const response = await window.fetch(action.href, { method: 'POST', body: fields, credentials: 'same-origin', signal: sending.signal });
    shown = await showAnswer(response);
  } catch {
    // No answer (the connection dropped, or it took too long): said below, unless the reader is leaving.
  } finally {
    window.clearTimeout(timer);
    visit.sending = null;
  }
  if (shown || visit.leaving) return;
  showNotSent(form, button);
  if (button) {
    button.disabled = false;
    button.focus();
  }
}

const quickExit = document.querySelector('[data-module="app-quick-exit"]');
if (quickExit) {
  initQuickExit(quickExit);
  document.addEventListener('click', onClick);
  document.addEventListener('submit', onSubmit);
}

// GOV.UK Frontend's script is only fetched by pages whose components need it (forms, error summaries):
// reading pages stay a few kilobytes lighter.
const NEEDS_SCRIPT = '[data-module^="govuk-"]:not([data-module="govuk-skip-link"]):not([data-module="govuk-service-navigation"])';
if (document.querySelector(NEEDS_SCRIPT) && document.body.classList.contains('govuk-frontend-supported')) {
  import(GOVUK_SCRIPT).then(({ initAll }) => initAll()).catch(() => {
    // The page already works without it.
  });
}
