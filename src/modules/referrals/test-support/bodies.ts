/** Request bodies for the partner API in tests: clearly synthetic people, every answer "no" unless changed. */
export function apiBody(change: { yes?: number; [key: string]: unknown } = {}): Record<string, unknown> {
  const { yes = 0, ...rest } = change;
  const dash: Record<string, string> = {};
  for (let q = 1; q <= 24; q += 1) dash[`q${String(q)}`] = q > 24 - yes ? 'yes' : 'no';
  return {
    person: { firstName: 'Test Person', lastName: 'Api-Kilo', dateOfBirth: '1990-04-01', postcode: 'ME14 1XX', phone: '07700 900555' },
    personCausingHarm: { firstName: 'Test Harm-Causer', lastName: 'Api-Kilo' },
    district: 'maidstone',
    dash,
    professionalJudgement: { applies: false },
    recentIncidentDates: [],
    children: [],
    ...rest,
  };
}
