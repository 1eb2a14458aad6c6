import { DAYS } from '../model.js';
import { reviewCutoff } from '../service-editor.js';
import type { PublicDirectory, PublicService } from '../public-directory.js';

const ALL_DAY = new Set(['00:00-23:59', '00:00-24:00', '00:00-00:00']);

/** What the service page shows, shaped for the template; shared by the public page and the editors' preview. */
export function servicePageContext(service: PublicService, directory: PublicDirectory, now: Date) {
  const days = DAYS.flatMap((day) => {
    const schedule = service.schedules.find((candidate) => candidate.byday.split(',').includes(day));
    if (!schedule) return [];
    return [{ day, allDay: ALL_DAY.has(`${schedule.opensAt}-${schedule.closesAt}`), opens: schedule.opensAt, closes: schedule.closesAt }];
  });
  // Consecutive days with the same hours read as one line: "Monday to Friday", or "Every day".
  const hours: Array<{ fromDay: string; toDay: string; everyDay: boolean; allDay: boolean; opens: string; closes: string }> = [];
  for (const entry of days) {
    const last = hours.at(-1);
    const follows = last && DAYS.indexOf(last.toDay as (typeof DAYS)[number]) === DAYS.indexOf(entry.day) - 1;
    if (last && follows && last.allDay === entry.allDay && last.opens === entry.opens && last.closes === entry.closes) last.toDay = entry.day;
    else hours.push({ fromDay: entry.day, toDay: entry.day, everyDay: false, allDay: entry.allDay, opens: entry.opens, closes: entry.closes });
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
