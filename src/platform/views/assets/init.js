/* global document, window, ResizeObserver, BroadcastChannel, fetch, URLSearchParams */
// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/govuk-frontend.min.js';

// A second press of a form's button within a second is ignored (GOV.UK Button's preventDoubleClick) on every staff
// form, so one hurried double press makes one record, one invitation, one referral.
document.querySelectorAll('form button[data-module="govuk-button"]:not([data-prevent-double-click])').forEach((button) => {
  button.setAttribute('data-prevent-double-click', 'true');
});
initAll();

// A wide table's box is a tab stop so that a keyboard can scroll it; where the table fits, the stop leads nowhere.
// Without this script every box stays reachable, which is the safe way round.
const scrollBoxes = document.querySelectorAll('.app-table-scroll');
if (scrollBoxes.length > 0 && 'ResizeObserver' in window) {
  const reachableOnlyWhenScrolling = (box) => {
    if (box.scrollWidth > box.clientWidth) box.setAttribute('tabindex', '0');
    else box.removeAttribute('tabindex');
  };
  // The box changes size with the window; the table inside with its content (a font arriving, say): watch both.
  const observer = new ResizeObserver((entries) => entries.forEach((entry) => reachableOnlyWhenScrolling(entry.target.closest('.app-table-scroll'))));
  scrollBoxes.forEach((box) => {
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
  });
}

// Staff pages: two minutes before the session ends, a warning (WCAG 2.2.1) offers to stay signed in, or, at the
// 12-hour limit that nothing extends, says to save and sign in again. At the end a form marked data-keep-on-timeout
// (referral pages, directory and site content editing) is sent, so the server keeps what was typed for sign-in; any other page leaves for sign-in, so case details do not stay on an
// unattended screen. The end is checked against the clock, not only a timer (timers stop while a laptop sleeps and
// slow down in a hidden tab). Tabs tell each other when the session was used, and when someone signed out.
const channel = 'BroadcastChannel' in window ? new BroadcastChannel('app-session') : undefined;
if (document.querySelector('[data-session-ended]')) channel?.postMessage('ended');

const warning = document.getElementById('app-timeout-warning');
if (warning && typeof warning.showModal === 'function') {
  const warnMs = Number(warning.dataset.warnSeconds) * 1000;
  // The server ends the session at `end`; a page sent a moment later is one it keeps rather than saves.
  const graceMs = 2000;
  const problem = warning.querySelector('[data-problem]');
  const keptForm = document.querySelector('form[data-keep-on-timeout]');
  let end = 0;
  let final = false;
  let dismissed = false;
  let over = false;

  const leave = (address) => {
    over = true;
    window.location.assign(address);
  };
  const timeUp = () => {
    if (over) return;
    over = true;
    if (keptForm) {
      // Marked as sent by the clock, not by a person: the server keeps it to show again, and never saves it.
      const marker = document.createElement('input');
      marker.type = 'hidden';
      marker.name = '_timedOut';
      marker.value = '1';
      keptForm.append(marker);
      keptForm.requestSubmit();
    }
    else window.location.assign('/app/sign-in?ended=1');
  };
  const show = () => {
    const variant = final ? 'final' : 'idle';
    warning.querySelectorAll('[data-when]').forEach((part) => {
      part.hidden = part.dataset.when !== variant;
    });
    warning.setAttribute('aria-labelledby', `app-timeout-heading-${variant}`);
    // Read out with its heading: when the sign-out will be, not only "Stay signed in".
    warning.setAttribute('aria-describedby', `app-timeout-body-${variant}`);
    warning.showModal();
  };
  const check = () => {
    const now = Date.now();
    if (now >= end + graceMs) timeUp();
    else if (now >= end - warnMs && !warning.open && !dismissed && !over) show();
  };
  const endsIn = ({ secondsLeft, final: isFinal }) => {
    end = Date.now() + secondsLeft * 1000;
    final = isFinal;
    dismissed = false;
    problem.textContent = '';
    const time = new Date(end).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
    warning.querySelectorAll('[data-ends-at]').forEach((text) => {
      text.textContent = time;
    });
    if (warning.open) warning.close();
    check();
  };
  const renewed = (state) => {
    endsIn(state);
    channel?.postMessage(state);
  };
  channel?.addEventListener('message', (event) => {
    if (event.data === 'ended') leave('/app/signed-out');
    else endsIn(event.data);
  });
  renewed({ secondsLeft: Number(warning.dataset.secondsLeft), final: warning.dataset.final === 'yes' });
  window.setInterval(check, 1000);
  ['visibilitychange', 'pageshow', 'focus'].forEach((name) => window.addEventListener(name, check));

  const stay = async () => {
    const token = warning.querySelector('input[name="_csrf"]').value;
    try {
      const response = await fetch('/app/session/keep-alive', { method: 'POST', body: new URLSearchParams({ _csrf: token }), credentials: 'same-origin' });
      if (response.status === 401 || response.status === 403) return timeUp();
      if (!response.ok) throw new Error(String(response.status));
      renewed(await response.json());
    } catch {
      // The service could not be reached (or was busy): the warning stays, so they can try again. Emptied first so
      // that a second failure is a change, and read out again.
      problem.textContent = '';
      window.setTimeout(() => {
        problem.textContent = problem.dataset.text;
      }, 100);
    }
  };
  const close = () => {
    dismissed = true;
    warning.close();
  };
  warning.querySelector('[data-stay-signed-in]').addEventListener('click', stay);
  warning.querySelector('[data-close]').addEventListener('click', close);
  // Escape means "not now", not "let me be signed out": an idle session stays signed in.
  warning.addEventListener('cancel', (event) => {
    event.preventDefault();
    if (final) close();
    else stay();
  });
}
