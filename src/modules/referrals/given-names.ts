/**
 * Given names and the short forms agencies record them by ("Dave" for David): no well-kept package lists British
 * forms, so this is data, kept small and common. A name may sit in several groups ("Chris"): two names agree when
 * they share one, so Chris is Christopher and Christine, but Christopher is never Christine.
 */
const GROUPS: readonly (readonly string[])[] = [
  ['david', 'dave', 'davey', 'davy'],
  ['robert', 'rob', 'robbie', 'bob', 'bobby', 'bert'],
  ['william', 'will', 'bill', 'billy', 'willie', 'liam'],
  ['richard', 'rich', 'richie', 'rick', 'ricky', 'dick'],
  ['michael', 'mike', 'mick', 'mickey', 'micky'],
  ['stephen', 'steven', 'steve', 'stevie'],
  ['thomas', 'tom', 'tommy'],
  ['james', 'jim', 'jimmy', 'jamie'],
  ['john', 'jack', 'johnny', 'jon'],
  ['jonathan', 'jon', 'jonny', 'johnny'],
  ['christopher', 'chris', 'kit'],
  ['anthony', 'tony', 'ant'],
  ['daniel', 'dan', 'danny'],
  ['samuel', 'sam', 'sammy'],
  ['samantha', 'sam', 'sammy'],
  ['alexander', 'alex', 'alec'],
  ['alexandra', 'alex', 'lexi'],
  ['nicholas', 'nick', 'nicky'],
  ['nicola', 'nicky', 'nikki'],
  ['matthew', 'matt', 'matty'],
  ['andrew', 'andy', 'drew'],
  ['peter', 'pete'],
  ['joseph', 'joe', 'joey'],
  ['benjamin', 'ben', 'benny'],
  ['henry', 'harry', 'hal'],
  ['edward', 'ed', 'eddie', 'ted', 'teddy', 'ned'],
  ['charles', 'charlie', 'chas'],
  ['frederick', 'fred', 'freddie'],
  ['lawrence', 'laurence', 'larry', 'laurie'],
  ['patrick', 'pat', 'paddy'],
  ['gregory', 'greg'],
  ['timothy', 'tim', 'timmy'],
  ['kenneth', 'ken', 'kenny'],
  ['ronald', 'ron', 'ronnie'],
  ['donald', 'don', 'donnie'],
  ['raymond', 'ray'],
  ['terence', 'terry'],
  ['philip', 'phillip', 'phil'],
  ['leonard', 'len', 'lenny'],
  ['gerald', 'gerry'],
  ['elizabeth', 'liz', 'lizzie', 'beth', 'betty', 'eliza', 'libby'],
  ['katherine', 'catherine', 'kathryn', 'kate', 'katie', 'kath', 'kathy', 'cathy'],
  ['margaret', 'maggie', 'meg', 'peggy', 'marge'],
  ['rebecca', 'becky', 'becca'],
  ['jennifer', 'jen', 'jenny'],
  ['susan', 'sue', 'susie'],
  ['sarah', 'sara', 'sally'],
  ['deborah', 'debra', 'debbie', 'deb'],
  ['victoria', 'vicky', 'vikki', 'tori'],
  ['amanda', 'mandy'],
  ['christine', 'christina', 'chris', 'chrissie', 'tina'],
  ['jessica', 'jess', 'jessie'],
  ['natasha', 'tasha', 'tash'],
  ['patricia', 'pat', 'patsy', 'trish', 'tricia'],
  ['abigail', 'abi', 'abby'],
  ['caroline', 'carol', 'carrie'],
  ['josephine', 'jo', 'josie'],
  ['joanne', 'joanna', 'jo'],
  ['kimberley', 'kimberly', 'kim'],
  ['pamela', 'pam'],
  ['teresa', 'theresa', 'tess', 'terri'],
  ['valerie', 'val'],
];

const GROUPS_OF = new Map<string, number[]>();
for (const [index, group] of GROUPS.entries()) for (const name of group) GROUPS_OF.set(name, [...(GROUPS_OF.get(name) ?? []), index]);

/** Whether two given names (normalised: lower case letters only) are forms of one name. */
export function formsOfOneName(a: string, b: string): boolean {
  const groups = GROUPS_OF.get(a);
  return groups !== undefined && (GROUPS_OF.get(b) ?? []).some((group) => groups.includes(group));
}
