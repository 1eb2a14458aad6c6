/* global document, window, ResizeObserver */
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
