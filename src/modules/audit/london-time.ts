/** The partnership works in UK time; the trail stores UTC. A date typed into a search means a UK calendar day. */
const offsetFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'shortOffset' });

function londonOffsetMinutes(at: Date): number {
  const name = offsetFormat.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

/** The UTC instant at which a UK calendar day (YYYY-MM-DD) begins. */
export function startOfLondonDay(isoDate: string): string {
  const utcMidnight = Date.parse(`${isoDate}T00:00:00Z`);
  return new Date(utcMidnight - londonOffsetMinutes(new Date(utcMidnight)) * 60_000).toISOString();
}

/** The UTC instant at which the UK calendar day after `isoDate` begins: the exclusive end of that day. */
export function endOfLondonDay(isoDate: string): string {
  const next = new Date(Date.parse(`${isoDate}T00:00:00Z`) + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  return startOfLondonDay(next);
}
