/** "No questions were", "1 question was", "2 questions were": each use starts a sentence. */
export function plural(count: number, one: string, many: string): string {
  if (count === 0) return `No ${many}`;
  return `${String(count)} ${count === 1 ? one : many}`;
}
