import cronParser from 'cron-parser';

/**
 * The one place cron expressions are read, with the same library pg-boss uses, so a schedule means the same on
 * SQLite and PostgreSQL. Expressions have five fields and are in UTC; ticks fall on whole minutes.
 */
export function assertValidCron(expression: string): void {
  if (expression.trim().split(/\s+/).length !== 5) throw new Error(`Cron expression "${expression}" must have five fields (minute hour day month weekday).`);
  cronParser.parseExpression(expression, { tz: 'UTC' });
}

/** The first tick strictly after `after`. */
export function nextTick(expression: string, after: Date): Date {
  return cronParser.parseExpression(expression, { tz: 'UTC', currentDate: after }).next().toDate();
}

/** Whether the schedule has a tick at exactly this minute. */
export function isTick(expression: string, at: Date): boolean {
  return nextTick(expression, new Date(at.getTime() - 1000)).getTime() === at.getTime();
}

/** The key of a tick in job_runs: its minute as an ISO timestamp. */
export function slotOf(at: Date): string {
  const minute = new Date(at);
  minute.setUTCSeconds(0, 0);
  return minute.toISOString();
}
