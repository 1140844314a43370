// GS1 six-digit dates (YYMMDD), as carried by AI (17) expiry: the checks the barcode libraries skip.

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/**
 * The full year of a two-digit GS1 year, by the sliding window of GS1 General Specifications §7.12
 * ("Determination of century in dates"): with the current year's last two digits as the reference, a
 * YY more than 50 years ahead of it is in the previous century, one more than 49 years behind it in
 * the next century, any other in the current century. "Current" is the UTC year of `now`.
 */
export function gs1CenturyYear(yy: number, now: Date): number {
  const currentYear = now.getUTCFullYear();
  const currentYy = currentYear % 100;
  const century = currentYear - currentYy;
  const difference = yy - currentYy;
  if (difference > 50) return century - 100 + yy;
  if (difference < -49) return century + 100 + yy;
  return century + yy;
}

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

const iso = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

export type Gs1DateResult = { ok: true; iso: string } | { ok: false; why: string };

/**
 * A GS1 YYMMDD date as YYYY-MM-DD, or why it is not a date. Month 01–12; the day must exist in that
 * month of that year (leap years counted); DD = 00 means the last day of the month (GS1 General
 * Specifications §3.4, the rule for AIs 11–17 when only year and month are known).
 */
export function gs1DateToIso(yymmdd: string, now: Date): Gs1DateResult {
  if (!/^\d{6}$/.test(yymmdd)) return { ok: false, why: 'it must be six digits, YYMMDD' };
  const year = gs1CenturyYear(Number(yymmdd.slice(0, 2)), now);
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  if (month < 1 || month > 12) return { ok: false, why: `month ${yymmdd.slice(2, 4)}` };
  const last = daysInMonth(year, month);
  if (day === 0) return { ok: true, iso: iso(year, month, last) };
  if (day > last) return { ok: false, why: `${MONTHS[month - 1]} ${year} has ${last} days` };
  return { ok: true, iso: iso(year, month, day) };
}

/** A YYYY-MM-DD date that exists in the calendar, or why not. */
export function isoDateProblem(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return 'it must be YYYY-MM-DD or the six digits YYMMDD';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return `month ${match[2]}`;
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) return day === 0 ? 'day 00' : `${MONTHS[month - 1]} ${year} has ${last} days`;
  return null;
}
