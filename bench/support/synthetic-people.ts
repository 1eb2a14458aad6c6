/**
 * Obviously synthetic people for the referral benchmarks: common first names with made-up surnames built from
 * syllables ("Tavrenby"), dates of birth, Ofcom's drama phone numbers (never a real line) and Kent and Medway
 * postcodes with made-up inward codes. Deterministic, so every run loads the same people.
 */

const FIRST_NAMES = [
  'Amara', 'Beth', 'Chloe', 'Dana', 'Eleni', 'Fatima', 'Grace', 'Hana', 'Iris', 'Jade', 'Kasia', 'Layla', 'Maya', 'Nadia', 'Olivia', 'Priya',
  'Rosa', 'Sara', 'Tara', 'Una', 'Vera', 'Wren', 'Yasmin', 'Zofia', 'Aisha', 'Bianca', 'Carys', 'Daisy', 'Erin', 'Freya', 'Gemma', 'Holly',
  'Imogen', 'Joanna', 'Kerry', 'Lucy', 'Megan', 'Niamh', 'Paige', 'Ruby', 'Sophie', 'Tanya', 'Leah', 'Adam', 'Ben', 'Callum', 'Daniel', 'Ethan',
];
const HARM_FIRST_NAMES = ['Aaron', 'Brandon', 'Connor', 'Darren', 'Elliot', 'Frankie', 'Gavin', 'Harvey', 'Jason', 'Kyle', 'Liam', 'Mason', 'Nathan', 'Owen', 'Reece', 'Shane', 'Tyler', 'Wayne', 'Kelly', 'Stacey'];
const SYLLABLES_A = ['Tav', 'Kol', 'Mer', 'Bran', 'Hol', 'Quin', 'Dar', 'Fen', 'Gal', 'Lun', 'Pell', 'Ros', 'Sar', 'Thorn', 'Vel', 'Wick', 'Ash', 'Bex', 'Cor', 'Dun', 'Eld', 'Fal', 'Grim', 'Hask', 'Ives', 'Jar', 'Kest', 'Lor', 'Mab', 'Nor'];
const SYLLABLES_B = ['ren', 'bury', 'wick', 'ston', 'ley', 'mere', 'ford', 'dale', 'by', 'ham', 'worth', 'croft', 'field', 'gate', 'holm', 'ridge', 'wood', 'ton', 'well', 'more', 'shaw', 'thwaite', 'brook', 'cott', 'den', 'low', 'ing', 'ett', 'ander', 'ock'];
/** Ofcom's numbers for drama: 1,000 in each range, none of them a real line. */
const DRAMA_RANGES = ['0113 496 0', '0114 496 0', '0115 496 0', '0116 496 0', '0117 496 0', '0118 496 0', '0121 496 0', '0131 496 0', '0141 496 0', '0151 496 0', '0161 496 0', '020 7946 0', '029 2018 0', '01632 960 ', '07700 900 ', '0808 157 0'];
const OUTWARD_CODES: Record<string, readonly string[]> = {
  ashford: ['TN23', 'TN24', 'TN25', 'TN26'],
  canterbury: ['CT1', 'CT2', 'CT3', 'CT5', 'CT6'],
  dartford: ['DA1', 'DA2', 'DA4'],
  dover: ['CT14', 'CT15', 'CT16', 'CT17'],
  'folkestone-hythe': ['CT18', 'CT19', 'CT20', 'CT21', 'TN28', 'TN29'],
  gravesham: ['DA11', 'DA12', 'DA13'],
  maidstone: ['ME14', 'ME15', 'ME16', 'ME17', 'ME18'],
  medway: ['ME1', 'ME2', 'ME3', 'ME4', 'ME5', 'ME7', 'ME8'],
  sevenoaks: ['TN13', 'TN14', 'TN15', 'BR8'],
  swale: ['ME9', 'ME10', 'ME11', 'ME12', 'ME13'],
  thanet: ['CT7', 'CT8', 'CT9', 'CT10', 'CT11', 'CT12'],
  'tonbridge-malling': ['ME6', 'ME19', 'ME20', 'TN9', 'TN10', 'TN11'],
  'tunbridge-wells': ['TN1', 'TN2', 'TN3', 'TN4', 'TN12', 'TN17'],
};
export const DISTRICTS = Object.keys(OUTWARD_CODES);
/** The letters postcodes use in their inward code. */
const INWARD_LETTERS = ['A', 'B', 'D', 'E', 'F', 'G', 'H', 'J', 'L', 'N', 'P', 'Q', 'R', 'S', 'T', 'U', 'W', 'X', 'Y', 'Z'];

export type Random = () => number;

/** A small linear congruential generator: the same sequence for the same seed. */
export function randomSequence(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export interface SyntheticPerson {
  readonly firstName: string;
  readonly lastName: string;
  /** YYYY-MM-DD */
  readonly dateOfBirth: string;
  readonly phone: string | null;
  readonly postcode: string | null;
  readonly district: string;
}

function surname(random: Random): string {
  return `${pick(random, SYLLABLES_A)}${pick(random, SYLLABLES_B)}`;
}

function date(random: Random, fromYear: number, toYear: number): string {
  const year = fromYear + Math.floor(random() * (toYear - fromYear + 1));
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A person at risk; about a fifth have no phone and a tenth no postcode recorded, as in real referrals. */
export function syntheticPerson(random: Random, district = pick(random, DISTRICTS)): SyntheticPerson {
  const outward = pick(random, OUTWARD_CODES[district] ?? ['ME14']);
  return {
    firstName: pick(random, FIRST_NAMES),
    lastName: surname(random),
    dateOfBirth: date(random, 1950, 2007),
    phone: random() < 0.8 ? `${pick(random, DRAMA_RANGES)}${String(Math.floor(random() * 1000)).padStart(3, '0')}` : null,
    postcode: random() < 0.9 ? `${outward} ${String(1 + Math.floor(random() * 9))}${pick(random, INWARD_LETTERS)}${pick(random, INWARD_LETTERS)}` : null,
    district,
  };
}

/** A person causing harm: often only a name is known, sometimes a date of birth. */
export function syntheticHarmPerson(random: Random): { firstName: string; lastName: string; dateOfBirth: string | null } {
  return { firstName: pick(random, HARM_FIRST_NAMES), lastName: surname(random), dateOfBirth: random() < 0.4 ? date(random, 1950, 2005) : null };
}
