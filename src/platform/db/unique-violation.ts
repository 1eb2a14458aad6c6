/** Whether a write failed on the unique index of one column (made with `.unique()`), on either database. */
export function isUniqueViolation(error: unknown, table: string, column: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code === '23505') return constraint === `${table}_${column}_key`;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' && message.includes(`${table}.${column}`);
}

/** The write, with a clash on that unique index (another request made the same row a moment earlier) thrown as `clash()`. */
export async function refusingTaken<T>(write: Promise<T>, table: string, column: string, clash: () => Error): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isUniqueViolation(error, table, column)) throw clash();
    throw error;
  }
}
