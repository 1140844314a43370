// Calendar dates of the demo, relative to the day it is seeded: the ledger refuses batches made in the
// future or already expired and licences already expired, so fixed dates would stop seeding one day.

/** Today in UTC, YYYY-MM-DD: the day the server compares dates with. */
export const utcToday = (now: Date = new Date()): string => now.toISOString().slice(0, 10);

/**
 * The YYYY-MM-DD date `by` years, months and days after `day` (negative: before). Years and months keep the
 * day of the month, clamped to the month's last day (31 January + 1 month is 28 or 29 February); days are
 * added last.
 */
export function shiftDate(day: string, by: { years?: number; months?: number; days?: number }): string {
  const [y, m, d] = day.split('-').map(Number);
  const month = new Date(Date.UTC(y + (by.years ?? 0), m - 1 + (by.months ?? 0), 1));
  const lastDay = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), Math.min(d, lastDay) + (by.days ?? 0))).toISOString().slice(0, 10);
}
