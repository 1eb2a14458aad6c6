/**
 * The page numbers a GOV.UK pagination shows for a long list: the first, the last, the current page and one either
 * side, with a gap (null, shown as an ellipsis) wherever numbers are skipped, so 250 pages are 7 links, not 250.
 */
export function pageNumbers(current: number, count: number): Array<number | null> {
  const wanted = [...new Set([1, current - 1, current, current + 1, count])].filter((page) => page >= 1 && page <= count).sort((a, b) => a - b);
  return wanted.flatMap((page, index) => {
    const before = wanted[index - 1];
    return before !== undefined && page - before > 1 ? [null, page] : [page];
  });
}

/** Parameters for govukPagination over numbered pages, or undefined when everything fits on one page. */
export function pagination(current: number, count: number, hrefFor: (page: number) => string) {
  if (count <= 1) return undefined;
  return {
    ...(current > 1 ? { previous: { href: hrefFor(current - 1) } } : {}),
    ...(current < count ? { next: { href: hrefFor(current + 1) } } : {}),
    items: pageNumbers(current, count).map((page) => (page === null ? { ellipsis: true } : { number: page, href: hrefFor(page), current: page === current })),
  };
}

/** A page number from the address: a whole number up to 99,999; anything else (a typo, a huge number) is the first page. */
export function requestedPage(value: unknown): number {
  return typeof value === 'string' && /^[1-9]\d{0,4}$/.test(value) ? Number(value) : 1;
}
