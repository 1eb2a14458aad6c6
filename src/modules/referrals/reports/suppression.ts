/**
 * Small-number suppression for counts that leave the service (the CSV download and every partner-facing table).
 *
 * Primary: any count from 1 to 4, cell or total, is not published ("fewer than 5"). Zero is published: it says
 * nobody. Secondary: a table's rows and columns add up to published totals, so one hidden count in a line could be
 * worked out by subtraction. Every line (a row with its row total, a column with its column total, and the totals
 * row and column with the grand total) therefore hides none or at least two of its counts; and because published
 * counts are known to be 0 or at least 5, the hidden counts in a line must also not be narrowed down to a single
 * value by those bounds (1 + 5 = 6, say, would give both away). Extra counts are hidden until that holds, choosing
 * counts that give the most cover. Secondary suppressions are shown as "not shown", never as "fewer than 5",
 * which would be untrue. Tables of the same people are suppressed together (suppressTogether), which may also hide a
 * zero as cover.
 */

export const THRESHOLD = 5;

export type Published = { readonly kind: 'count'; readonly value: number } | { readonly kind: 'fewer-than-5' } | { readonly kind: 'not-shown' };

export interface CountTable {
  /** cells[row][column]: whole, non-negative counts. */
  readonly cells: readonly (readonly number[])[];
}

export interface PublishedTable {
  readonly cells: Published[][];
  readonly rowTotals: Published[];
  readonly columnTotals: Published[];
  readonly grandTotal: Published;
}

type Status = 'published' | 'primary' | 'secondary';

interface Entry {
  readonly value: number;
  status: Status;
}

/** A line: entries that add up to a target entry. */
interface Line {
  readonly parts: readonly Entry[];
  readonly target: Entry;
}

export function isPrimary(value: number): boolean {
  return value >= 1 && value < THRESHOLD;
}

/**
 * Counts hidden because of other tables of the same people: totals another table had to hide (hidden here too, or
 * that table could be undone), and cells hidden so that no table narrows a shared hidden total to one value.
 */
export interface AlsoHidden {
  readonly columns: ReadonlySet<number>;
  readonly grand: boolean;
  /** "row,column" */
  readonly cells: ReadonlySet<string>;
}

const NONE_HIDDEN: AlsoHidden = { columns: new Set(), grand: false, cells: new Set() };

export function suppress(table: CountTable, alsoHidden: AlsoHidden = NONE_HIDDEN): PublishedTable {
  const rows = table.cells.length;
  const columns = table.cells[0]?.length ?? 0;
  const entry = (value: number, hide = false): Entry => ({ value, status: isPrimary(value) ? 'primary' : hide ? 'secondary' : 'published' });
  const grid = table.cells.map((row, r) => row.map((value, c) => entry(value, alsoHidden.cells.has(`${String(r)},${String(c)}`))));
  const rowTotals = table.cells.map((row) => entry(sum(row)));
  const columnTotal = (column: number) => sum(table.cells.map((row) => row[column] ?? 0));
  const columnTotals = Array.from({ length: columns }, (_, column) => entry(columnTotal(column), alsoHidden.columns.has(column) && columnTotal(column) > 0));
  const grandValue = sum(table.cells.map(sum));
  const grand = entry(grandValue, alsoHidden.grand && grandValue > 0);

  const lines: Line[] = [
    ...grid.map((row, index) => ({ parts: row, target: rowTotals[index] as Entry })),
    ...columnTotals.map((total, column) => ({ parts: grid.map((row) => row[column] as Entry), target: total })),
    { parts: rowTotals, target: grand },
    { parts: columnTotals, target: grand },
  ];

  // Each pass hides at least one more count or stops, so this ends within (rows + 1) * (columns + 1) passes.
  for (let pass = 0; pass <= (rows + 1) * (columns + 1); pass += 1) {
    const exposed = lines.find(isExposed);
    if (!exposed) break;
    hideAnother(exposed);
  }

  return {
    cells: grid.map((row) => row.map(publish)),
    rowTotals: rowTotals.map(publish),
    columnTotals: columnTotals.map(publish),
    grandTotal: publish(grand),
  };
}

/**
 * Tables that count the same people in different ways (referrals by district, by risk level, by agency) share their
 * column totals and grand total. A total one table hides is hidden in all of them, or another table would publish it
 * and give the hidden counts away (six districts "fewer than 5" and a total of 6 elsewhere: each is 1). And the
 * tables together must not pin a hidden total down either: nine districts of "fewer than 5" say it is at least 9, a
 * risk table of 5 and "fewer than 5" says at most 9, so it is 9 and every count is known. Where they would, another
 * count is hidden in the table that bounds the total most tightly from above. Repeated until neither happens; every
 * round hides at least one more count, so this ends.
 */
export function suppressTogether(tables: readonly CountTable[]): PublishedTable[] {
  let shared = { columns: new Set<number>(), grand: false };
  const cells = tables.map(() => new Set<string>());
  // Every round hides one more count, so there are never more rounds than counts; a report that cannot be made safe
  // fails loudly rather than spin or leak.
  const counts = tables.reduce((total, table) => total + (table.cells.length + 1) * ((table.cells[0]?.length ?? 0) + 1), 0);
  for (let round = 0; round <= counts; round += 1) {
    const published = tables.map((table, index) => suppress(table, { ...shared, cells: cells[index] ?? new Set() }));
    const columns = new Set(published.flatMap((table) => table.columnTotals.flatMap((total, column) => (total.kind === 'count' ? [] : [column]))));
    const grand = published.some((table) => table.grandTotal.kind !== 'count');
    if (columns.size !== shared.columns.size || grand !== shared.grand) {
      shared = { columns, grand };
      continue;
    }
    const more = pinnedTotalCover(tables, published);
    if (!more) return published;
    if ('table' in more) cells[more.table]?.add(more.cell);
    else shared = { columns: new Set([...shared.columns, more.column]), grand: shared.grand };
  }
  throw new Error('Small-number suppression did not settle: the report is not published.');
}

/** One more count to hide: a cell of one table, or a column total (shared, so hidden in every table). */
type Cover = { readonly table: number; readonly cell: string } | { readonly column: number };

/** What a line tells a reader of its total: the shown counts, plus each hidden count's bounds. */
function rangeOf(parts: ReadonlyArray<{ readonly value: number; readonly published: Published }>): [number, number] {
  let low = 0;
  let high = 0;
  for (const { value, published } of parts) {
    const [least, most] = published.kind === 'count' ? [value, value] : published.kind === 'fewer-than-5' ? [1, THRESHOLD - 1] : [THRESHOLD, Number.POSITIVE_INFINITY];
    low += least;
    high += most;
  }
  return [low, high];
}

/**
 * A hidden shared total that the tables' ranges together pin to one value, and the count to hide next: in the line
 * of the table whose range ends lowest (a count hidden as cover has no upper bound, so the range opens up), its
 * smallest shown count (a zero last). Undefined when no total is pinned.
 */
function pinnedTotalCover(tables: readonly CountTable[], published: readonly PublishedTable[]): Cover | undefined {
  const columns = tables[0]?.cells[0]?.length ?? 0;
  const shownOrZero = (entry: Published | undefined): Published => entry ?? { kind: 'count', value: 0 };
  const linesOf = (table: CountTable, shown: PublishedTable) => [
    ...Array.from({ length: columns }, (_, column) => ({
      total: shown.columnTotals[column],
      parts: table.cells.map((row, r) => ({ value: row[column] ?? 0, published: shownOrZero(shown.cells[r]?.[column]), cover: { cell: `${String(r)},${String(column)}` } })),
    })),
    {
      total: shown.grandTotal,
      parts: Array.from({ length: columns }, (_, column) => ({ value: sum(table.cells.map((row) => row[column] ?? 0)), published: shownOrZero(shown.columnTotals[column]), cover: { column } })),
    },
  ];
  const byTable = tables.map((table, index) => {
    const shown = published[index];
    return shown ? linesOf(table, shown) : [];
  });
  for (let line = 0; line <= columns; line += 1) {
    const hiddenIn = byTable.flatMap((lines, table) => {
      const found = lines[line];
      return found && found.total && found.total.kind !== 'count' ? [{ table, parts: found.parts, range: rangeOf(found.parts) }] : [];
    });
    if (hiddenIn.length < 2) continue;
    const low = Math.max(...hiddenIn.map(({ range }) => range[0]));
    const high = Math.min(...hiddenIn.map(({ range }) => range[1]));
    if (low < high) continue;
    for (const { table, parts } of hiddenIn.sort((a, b) => a.range[1] - b.range[1])) {
      const [next] = parts.filter((part) => part.published.kind === 'count').sort((a, b) => Number(a.value === 0) - Number(b.value === 0) || a.value - b.value);
      if (next) return 'cell' in next.cover ? { table, cell: next.cover.cell } : next.cover;
    }
  }
  return undefined;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function publish(entry: Entry): Published {
  if (entry.status === 'primary') return { kind: 'fewer-than-5' };
  if (entry.status === 'secondary') return { kind: 'not-shown' };
  return { kind: 'count', value: entry.value };
}

const hidden = (entry: Entry) => entry.status !== 'published';

/** What a reader knows of a hidden count: 1 to 4 for "fewer than 5", at least 5 for one hidden as cover. */
function bounds(entry: Entry): readonly [number, number] {
  return entry.status === 'primary' ? [1, THRESHOLD - 1] : [THRESHOLD, Number.POSITIVE_INFINITY];
}

/**
 * A line gives a hidden count away when its total is published and the hidden counts can be narrowed to one value;
 * or when its total is hidden (as another table of the same people had to hide it) and every count in it is shown.
 */
export function isExposed(line: Line): boolean {
  if (hidden(line.target)) return line.parts.every((part) => !hidden(part)) && line.target.value > 0;
  const unknown = line.parts.filter(hidden);
  if (unknown.length === 0) return false;
  if (unknown.length === 1) return true;
  const remainder = line.target.value - sum(line.parts.filter((part) => !hidden(part)).map((part) => part.value));
  return unknown.some((part, index) => {
    const others = unknown.filter((_, other) => other !== index);
    const [low, high] = bounds(part);
    const least = Math.max(low, remainder - sum(others.map((other) => bounds(other)[1])));
    const most = Math.min(high, remainder - sum(others.map((other) => bounds(other)[0])));
    return least >= most;
  });
}

/**
 * Hides one more count in an exposed line: the smallest that makes the line safe on its own (least information
 * lost), else the largest (most cover, so fewer passes), else the line's total when no count is left to hide.
 */
function hideAnother(line: Line): void {
  const candidates = line.parts.filter((part) => part.status === 'published' && part.value > 0).sort((a, b) => a.value - b.value);
  for (const candidate of candidates) {
    candidate.status = 'secondary';
    if (!isExposed(line)) return;
    candidate.status = 'published';
  }
  const largest = candidates.at(-1);
  if (largest) largest.status = 'secondary';
  else line.target.status = 'secondary';
}

/** Words for a published count on a page. */
export function publishedText(published: Published): string {
  if (published.kind === 'fewer-than-5') return 'fewer than 5';
  if (published.kind === 'not-shown') return 'not shown';
  return String(published.value);
}

/** The same for a CSV cell: short codes a spreadsheet keeps as text. */
export function publishedCsv(published: Published): string {
  if (published.kind === 'fewer-than-5') return '<5';
  if (published.kind === 'not-shown') return '[c]';
  return String(published.value);
}
