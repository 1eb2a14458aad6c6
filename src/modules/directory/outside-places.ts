/**
 * Places outside Kent and Medway that people type into the finder: London and its boroughs (which once reached into
 * Kent), the main towns of the neighbouring counties, and the UK's cities. Not every place: anything else gets the
 * "could not find that place" page, with suggestions and the national helplines, as before.
 */
const OUTSIDE = [
  'London', 'Greater London', 'Barking', 'Dagenham', 'Barnet', 'Bexley', 'Bexleyheath', 'Sidcup', 'Brent', 'Bromley', 'Orpington', 'Beckenham', 'Camden',
  'Croydon', 'Ealing', 'Enfield', 'Greenwich', 'Woolwich', 'Eltham', 'Hackney', 'Hammersmith', 'Haringey', 'Harrow', 'Havering', 'Romford', 'Hillingdon',
  'Hounslow', 'Islington', 'Kensington', 'Kingston upon Thames', 'Lambeth', 'Lewisham', 'Merton', 'Newham', 'Redbridge', 'Ilford', 'Richmond',
  'Southwark', 'Sutton', 'Tower Hamlets', 'Waltham Forest', 'Wandsworth', 'Westminster',
  'East Sussex', 'Brighton', 'Brighton and Hove', 'Hove', 'Hastings', 'Bexhill', 'Eastbourne', 'Rye', 'Crowborough', 'Uckfield', 'Lewes', 'Wadhurst',
  'West Sussex', 'Crawley', 'East Grinstead', 'Horsham', 'Worthing', 'Chichester',
  'Surrey', 'Guildford', 'Woking', 'Reigate', 'Redhill', 'Oxted', 'Epsom', 'Caterham',
  'Essex', 'Southend', 'Southend-on-Sea', 'Basildon', 'Thurrock', 'Grays', 'Tilbury', 'Chelmsford', 'Colchester', 'Brentwood',
  'Birmingham', 'Manchester', 'Liverpool', 'Leeds', 'Sheffield', 'Bristol', 'Newcastle', 'Nottingham', 'Leicester', 'Coventry', 'Bradford', 'Cardiff',
  'Edinburgh', 'Glasgow', 'Belfast', 'Oxford', 'Cambridge', 'Reading', 'Southampton', 'Portsmouth', 'Plymouth', 'Norwich', 'Ipswich', 'Milton Keynes', 'Luton',
];

let byName: ReadonlyMap<string, string> | undefined;

/** The place's usual spelling when what was typed (already normalised by the finder, as `normalise` does) names one. */
export function outsidePlace(normalised: string, normalise: (text: string) => string): string | undefined {
  // The first spelling of a name wins, as the list is read in order.
  byName ??= new Map(OUTSIDE.toReversed().map((place) => [normalise(place), place]));
  return byName.get(normalised);
}
