/** The partnership works in UK time: people type dates and times as they read them on a clock in England; the database keeps UTC. */

const PARTS = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

export function londonParts(instant: Date): LocalParts {
  const parts = Object.fromEntries(PARTS.formatToParts(instant).map((part) => [part.type, part.value]));
  return { year: Number(parts['year']), month: Number(parts['month']), day: Number(parts['day']), hour: Number(parts['hour']), minute: Number(parts['minute']) };
}

/**
 * The UTC instant of a London wall-clock time. In the hour the clocks go back the earlier (summer time) reading
 * is taken; a time that does not exist (the hour the clocks go forward) is read as if the clocks had not changed.
 */
export function londonToUtc(local: LocalParts): Date {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // London is UTC or UTC+1: try summer time first, then winter time.
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(asUtc - offsetHours * 3_600_000);
    const back = londonParts(candidate);
    if (back.hour === local.hour && back.minute === local.minute && back.day === local.day) return candidate;
  }
  return new Date(asUtc);
}

/** The UK calendar day (YYYY-MM-DD) at an instant: "today" for someone in England, whatever the server's zone. */
export function londonDay(instant: Date): string {
  const { year, month, day } = londonParts(instant);
  return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The UTC instant at which a UK calendar day (YYYY-MM-DD) begins. */
export function startOfLondonDay(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return londonToUtc({ year, month, day, hour: 0, minute: 0 }).toISOString();
}

/** The UTC instant at which the UK calendar day after `isoDate` begins: the exclusive end of that day. */
export function endOfLondonDay(isoDate: string): string {
  const next = new Date(Date.parse(`${isoDate}T00:00:00Z`) + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  return startOfLondonDay(next);
}
