import { DAYS } from '../model.js';
import { reviewCutoff } from '../service-editor.js';
import type { PublicDirectory, PublicService } from '../public-directory.js';

const ALL_DAY = new Set(['00:00-23:59', '00:00-24:00', '00:00-00:00']);

/** What the service page shows, shaped for the template; shared by the public page and the editors' preview. */
export function servicePageContext(service: PublicService, directory: PublicDirectory, now: Date) {
  const days = DAYS.flatMap((day) => {
    const sessions = service.schedules
      .filter((schedule) => schedule.byday.split(',').includes(day))
      .sort((a, b) => a.opensAt.localeCompare(b.opensAt))
      .map((schedule) => ({ allDay: ALL_DAY.has(`${schedule.opensAt}-${schedule.closesAt}`), opens: schedule.opensAt, closes: schedule.closesAt }));
    return sessions.length ? [{ day, sessions, key: JSON.stringify(sessions) }] : [];
  });
  // Consecutive days with the same hours read as one line: "Monday to Friday", or "Every day".
  const hours: Array<{ fromDay: string; toDay: string; everyDay: boolean; sessions: typeof days[number]['sessions']; key: string }> = [];
  for (const entry of days) {
    const last = hours.at(-1);
    const follows = last && DAYS.indexOf(last.toDay as (typeof DAYS)[number]) === DAYS.indexOf(entry.day) - 1;
    if (last && follows && last.key === entry.key) last.toDay = entry.day;
    else hours.push({ fromDay: entry.day, toDay: entry.day, everyDay: false, sessions: entry.sessions, key: entry.key });
  }
  for (const group of hours) group.everyDay = group.fromDay === 'MO' && group.toDay === 'SU';
  const areaNames = [...service.coverage].map((code) => directory.areaByCode.get(code)?.name ?? code).sort();
  return {
    service,
    title: service.name,
    hours,
    allAreas: service.coverage.size >= directory.areas.length,
    areaNames,
    /** Named in the reader's language by the page (directory.language.<code>). */
    languageCodes: service.languages.map((language) => language.code),
    openLocations: service.locations.filter((location) => !location.confidential),
    hasConfidentialLocation: service.locations.some((location) => location.confidential),
    reviewStale: !service.lastReviewedAt || service.lastReviewedAt < reviewCutoff(now),
    termCodes: directory.terms.filter((term) => service.termCodes.has(term.code)).map((term) => term.code),
  };
}
