import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrimary, publishedCsv, publishedText, suppress, suppressTogether, THRESHOLD, type Published, type PublishedTable } from './suppression.js';

const value = (published: Published) => (published.kind === 'count' ? published.value : undefined);

/** Every line of a published table: its parts and its total, with the true values beside them. */
function linesOf(table: readonly (readonly number[])[], published: PublishedTable) {
  const rows = table.length;
  const columns = table[0]?.length ?? 0;
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  const rowTotals = table.map(sum);
  const columnTotals = Array.from({ length: columns }, (_, c) => sum(table.map((row) => row[c] ?? 0)));
  const grand = sum(rowTotals);
  const lines: Array<{ parts: Array<[number, Published]>; target: [number, Published] }> = [];
  for (let r = 0; r < rows; r += 1) lines.push({ parts: (table[r] ?? []).map((v, c) => [v, published.cells[r]?.[c] as Published]), target: [rowTotals[r] ?? 0, published.rowTotals[r] as Published] });
  for (let c = 0; c < columns; c += 1) lines.push({ parts: table.map((row, r) => [row[c] ?? 0, published.cells[r]?.[c] as Published]), target: [columnTotals[c] ?? 0, published.columnTotals[c] as Published] });
  lines.push({ parts: rowTotals.map((v, r) => [v, published.rowTotals[r] as Published]), target: [grand, published.grandTotal] });
  lines.push({ parts: columnTotals.map((v, c) => [v, published.columnTotals[c] as Published]), target: [grand, published.grandTotal] });
  return lines;
}

/** What a reader can tell of a line's total from its published counts: "fewer than 5" is 1 to 4, "not shown" 5 or more. */
function readerRange(entries: ReadonlyArray<Published | undefined>): [number, number] {
  return entries.reduce<[number, number]>(
    ([low, high], entry) => (entry?.kind === 'count' ? [low + entry.value, high + entry.value] : entry?.kind === 'fewer-than-5' ? [low + 1, high + THRESHOLD - 1] : [low + THRESHOLD, Number.POSITIVE_INFINITY]),
    [0, 0],
  );
}

const tables = fc
  .record({ rows: fc.integer({ min: 1, max: 6 }), columns: fc.integer({ min: 1, max: 6 }) })
  .chain(({ rows, columns }) => fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 60 })), { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows }));

describe('small-number suppression', () => {
  it('publishes no count, cell or total, from 1 to 4', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const published = suppress({ cells: table });
        const all = [...published.cells.flat(), ...published.rowTotals, ...published.columnTotals, published.grandTotal];
        for (const entry of all) {
          const shown = value(entry);
          if (shown !== undefined) expect(isPrimary(shown)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('publishes true values only, and marks every count from 1 to 4 as "fewer than 5"', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const published = suppress({ cells: table });
        table.forEach((row, r) => { row.forEach((count, c) => {
            const entry = published.cells[r]?.[c] as Published;
            if (entry.kind === 'count') expect(entry.value).toBe(count);
            if (isPrimary(count)) expect(entry.kind).toBe('fewer-than-5');
            if (entry.kind === 'fewer-than-5') expect(isPrimary(count)).toBe(true);
            if (entry.kind === 'not-shown') expect(count).toBeGreaterThanOrEqual(THRESHOLD);
          }); },
        );
      }),
      { numRuns: 500 },
    );
  });

  it('never leaves a hidden count that its row or column and published total give away', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const published = suppress({ cells: table });
        for (const line of linesOf(table, published)) {
          const total = value(line.target[1]);
          if (total === undefined) continue;
          const hidden = line.parts.filter(([, entry]) => entry.kind !== 'count');
          expect(hidden.length === 0 || hidden.length >= 2).toBe(true);
          if (hidden.length === 0) continue;
          // A reader's bounds: "fewer than 5" is 1..4, "not shown" is 5 or more; what is left of the total is known.
          const remainder = total - line.parts.reduce((sum, [, entry]) => sum + (value(entry) ?? 0), 0);
          const bound = (entry: Published): [number, number] => (entry.kind === 'fewer-than-5' ? [1, 4] : [5, Number.POSITIVE_INFINITY]);
          for (const [index, [, entry]] of hidden.entries()) {
            const others = hidden.filter((_, other) => other !== index).map(([, e]) => bound(e));
            const least = Math.max(bound(entry)[0], remainder - others.reduce((s, [, high]) => s + high, 0));
            const most = Math.min(bound(entry)[1], remainder - others.reduce((s, [low]) => s + low, 0));
            expect(most).toBeGreaterThan(least);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('hides a second count when one small count would otherwise be worked out from the total', () => {
    const published = suppress({ cells: [[3, 12, 20]] });
    expect(published.cells[0]?.map(publishedText)).toEqual(['fewer than 5', 'not shown', '20']);
    expect(publishedText(published.grandTotal)).toBe('35');
    expect(published.cells[0]?.map(publishedCsv)).toEqual(['<5', '[c]', '20']);
  });

  it('publishes zeros and tables with nothing small unchanged', () => {
    const published = suppress({ cells: [[0, 5], [7, 0]] });
    expect(published.cells.map((row) => row.map(publishedText))).toEqual([['0', '5'], ['7', '0']]);
    expect(published.rowTotals.map(publishedText)).toEqual(['5', '7']);
  });

  it('hides a total in every table of the same people when one of them hides it: six districts of "fewer than 5" and a risk table cannot give each away', () => {
    const byDistrict = [[1], [1], [1], [1], [1], [1], [0]];
    const byRisk = [[6], [0], [0]];
    const [districts, risks] = suppressTogether([{ cells: byDistrict }, { cells: byRisk }]);
    expect(districts?.grandTotal.kind).not.toBe('count');
    expect(risks?.grandTotal.kind).not.toBe('count');
    expect(risks?.columnTotals.map((total) => total.kind)).toEqual(['not-shown']);
    expect(risks?.cells.flat().map(value)).not.toContain(6);
  });

  it('does not let the tables together pin a hidden total: nine districts of "fewer than 5" and a risk table of 5 and "fewer than 5"', () => {
    const tables = [{ cells: [[1], [1], [1], [1], [1], [1], [1], [1], [1]] }, { cells: [[5], [0], [4]] }, { cells: [[5], [4]] }];
    const published = suppressTogether(tables);
    const ranges = published.map((table) => readerRange(table.cells.map(([cell]) => cell)));
    expect(Math.max(...ranges.map(([low]) => low))).toBeLessThan(Math.min(...ranges.map(([, high]) => high)));
    for (const table of published) expect(table.grandTotal.kind).not.toBe('count');
  });

  it('publishes the totals tables of the same people share alike: all shown, or all hidden', () => {
    // People, each counted once in each table: by period and by two different breakdowns.
    const people = fc.array(fc.record({ period: fc.integer({ min: 0, max: 2 }), first: fc.integer({ min: 0, max: 4 }), second: fc.integer({ min: 0, max: 2 }) }), { maxLength: 80 });
    fc.assert(
      fc.property(people, (group) => {
        const count = (rows: number, rowOf: (person: (typeof group)[number]) => number) =>
          Array.from({ length: rows }, (_, row) => [0, 1, 2].map((period) => group.filter((person) => person.period === period && rowOf(person) === row).length));
        const published = suppressTogether([{ cells: count(5, (person) => person.first) }, { cells: count(3, (person) => person.second) }]);
        const shared = published.map((table) => [...table.columnTotals, table.grandTotal].map((total) => total.kind === 'count'));
        expect(shared[0]).toEqual(shared[1]);
        // Nor can a reader pin a hidden total down by putting the two tables' ranges side by side.
        for (const column of [0, 1, 2, 'grand'] as const) {
          if (shared[0]?.[column === 'grand' ? 3 : column]) continue;
          const ranges = published.map((table) => readerRange(column === 'grand' ? table.columnTotals : table.cells.map((row) => row[column])));
          expect(Math.max(...ranges.map(([low]) => low))).toBeLessThan(Math.min(...ranges.map(([, high]) => high)));
        }
        for (const table of published) {
          for (const total of [...table.columnTotals, table.grandTotal]) if (total.kind === 'count') expect(isPrimary(total.value)).toBe(false);
          // A hidden total is not the sum of a column shown in full.
          table.columnTotals.forEach((total, column) => {
            if (total.kind !== 'count') expect(table.cells.some((row) => row[column]?.kind !== 'count')).toBe(true);
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});
