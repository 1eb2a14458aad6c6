/**
 * Errors that mean the database could not be used at all, rather than that a query was wrong: no server at the
 * address, a server shutting down or restarting, a connection it ended, no such database or role, a wrong password,
 * no connection free. Worth saying as "unavailable, try again", never as a fault in what was asked.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET',
  '08001', '08003', '08006', '57P01', '57P02', '57P03', '53300', '3D000', '28000', '28P01',
]);
const UNREACHABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

export function isDatabaseUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (typeof code === 'string' && UNREACHABLE_CODES.has(code)) || (typeof message === 'string' && UNREACHABLE_MESSAGES.test(message));
}
