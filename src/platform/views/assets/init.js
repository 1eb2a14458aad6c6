/* global document, window, ResizeObserver, BroadcastChannel, fetch, URLSearchParams, setTimeout, clearTimeout */
// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/govuk-frontend.min.js';

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

// Staff pages: two minutes before an idle session ends, a warning offers to stay signed in (WCAG 2.2.1); at the end
// the page goes to sign-in, so case details do not stay on an unattended screen. Tabs tell each other when the
// session was used, so one busy tab keeps the others from warning or leaving.
const warning = document.getElementById('app-timeout-warning');
if (warning && typeof warning.showModal === 'function') {
  const warnMs = Number(warning.dataset.warnSeconds) * 1000;
  const endsAtText = warning.querySelector('[data-ends-at]');
  const channel = 'BroadcastChannel' in window ? new BroadcastChannel('app-session') : undefined;
  let timers = [];
  const leave = () => window.location.assign('/app/sign-in?ended=1');
  const endsAt = (secondsLeft) => {
    timers.forEach(clearTimeout);
    const end = Date.now() + secondsLeft * 1000;
    endsAtText.textContent = new Date(end).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
    if (warning.open) warning.close();
    timers = [
      setTimeout(() => warning.showModal(), Math.max(0, end - Date.now() - warnMs)),
      setTimeout(leave, Math.max(0, end - Date.now())),
    ];
  };
  const renewed = (secondsLeft) => {
    endsAt(secondsLeft);
    channel?.postMessage(secondsLeft);
  };
  channel?.addEventListener('message', (event) => endsAt(Number(event.data)));
  renewed(Number(warning.dataset.secondsLeft));

  const stay = async () => {
    const token = warning.querySelector('input[name="_csrf"]').value;
    try {
      const response = await fetch('/app/session/keep-alive', { method: 'POST', body: new URLSearchParams({ _csrf: token }), credentials: 'same-origin' });
      if (!response.ok) return leave();
      renewed((await response.json()).secondsLeft);
    } catch {
      // No connection: the warning stays, so they can try again.
    }
  };
  warning.querySelector('[data-stay-signed-in]').addEventListener('click', stay);
  // Escape means "not now", not "let me be signed out": it stays signed in too.
  warning.addEventListener('cancel', (event) => {
    event.preventDefault();
    stay();
  });
}
