import { describe, expect, it } from 'vitest';
import { pageNumbers, pagination } from './pagination.js';

describe('pagination of a long list', () => {
  it('shows the first, the last, the current page and one either side, with gaps marked', () => {
    expect(pageNumbers(1, 250)).toEqual([1, 2, null, 250]);
    expect(pageNumbers(7, 250)).toEqual([1, null, 6, 7, 8, null, 250]);
    expect(pageNumbers(3, 250)).toEqual([1, 2, 3, 4, null, 250]);
    expect(pageNumbers(250, 250)).toEqual([1, null, 249, 250]);
    expect(pageNumbers(2, 3)).toEqual([1, 2, 3]);
  });

  it('links previous and next only where they exist, and is absent for a single page', () => {
    const href = (page: number) => `/list?page=${String(page)}`;
    expect(pagination(1, 1, href)).toBeUndefined();
    const first = pagination(1, 5, href);
    expect(first?.previous).toBeUndefined();
    expect(first?.next).toEqual({ href: '/list?page=2' });
    expect(first?.items).toEqual([
      { number: 1, href: '/list?page=1', current: true },
      { number: 2, href: '/list?page=2', current: false },
      { ellipsis: true },
      { number: 5, href: '/list?page=5', current: false },
    ]);
    expect(pagination(5, 5, href)?.next).toBeUndefined();
  });
});
