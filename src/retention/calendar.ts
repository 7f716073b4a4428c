/** The calendar periods a retention tier counts in, as in restic's `forget`. */
export const CALENDAR_PERIODS = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type CalendarPeriod = (typeof CALENDAR_PERIODS)[number];

/** Which period of each kind an instant falls in, in one time zone: equal keys are the same period. */
export type CalendarKeys = Record<CalendarPeriod, string>;

const formatters = new Map<string, Intl.DateTimeFormat>();

// One formatter per zone, made on first use: building one costs far more than formatting with it.
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone this runtime knows (`Intl` throws `RangeError` for any other). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The hour, day, ISO week, month and year that `epochMs` falls in on the wall clock of `timeZone`. Across a
 * daylight-saving change the wall clock repeats an hour (two instants share one hourly key, as on the wall)
 * or skips one (no instant has it); days stay calendar days of 23 or 25 hours.
 */
export function calendarKeys(epochMs: number, timeZone: string): CalendarKeys {
  const parts: Record<string, number> = {};
  for (const { type, value } of formatterOf(timeZone).formatToParts(epochMs)) {
    if (type !== 'literal') parts[type] = Number(value);
  }
  const year = parts.year ?? 0;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  const hour = parts.hour ?? 0;
  const { weekYear, week } = isoWeek(year, month, day);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    hourly: `${year}-${pad(month)}-${pad(day)}T${pad(hour)}`,
    daily: `${year}-${pad(month)}-${pad(day)}`,
    weekly: `${weekYear}-W${pad(week)}`,
    monthly: `${year}-${pad(month)}`,
    yearly: String(year),
  };
}

const DAY_MS = 86_400_000;

/** ISO 8601 week of a calendar date: weeks start on Monday; week 1 holds the year's first Thursday. */
function isoWeek(year: number, month: number, day: number): { weekYear: number; week: number } {
  const date = Date.UTC(year, month - 1, day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = date + (3 - weekday) * DAY_MS;
  const weekYear = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(weekYear, 0, 1)) / (7 * DAY_MS));
  return { weekYear, week };
}
