/**
 * Business hours: how much of an interval fell inside an inbox's working hours, in the inbox's
 * timezone. The schedule has Chatwoot's `working_hours` shape (one entry per weekday, Sunday = 0).
 * Inboxes get working hours from their `inbox_created` / `inbox_updated` events; an inbox without
 * them (working_hours_enabled false or no entries) counts every hour as a business hour.
 */
export interface WorkingHoursEntry {
  day_of_week: number;
  closed_all_day?: boolean;
  open_all_day?: boolean;
  open_hour?: number | null;
  open_minutes?: number | null;
  close_hour?: number | null;
  close_minutes?: number | null;
}

export interface Schedule {
  timezone: string;
  enabled: boolean;
  hours: WorkingHoursEntry[];
}

const DAY_MS = 86_400_000;
/** Longer intervals are counted up to this many days (a ten-year-old conversation). */
const MAX_DAYS = 3_700;

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timezone: string): Intl.DateTimeFormat | null {
  if (!formatters.has(timezone)) {
    let formatter: Intl.DateTimeFormat | null = null;
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      formatter = null; // an unknown zone name counts as UTC
    }
    formatters.set(timezone, formatter);
  }
  return formatters.get(timezone)!;
}

/** The zone's offset from UTC at `instant`, in milliseconds (east positive). */
export function zoneOffsetMs(timezone: string, instant: number): number {
  const formatter = formatterFor(timezone);
  if (!formatter) return 0;
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant of a wall-clock time in the zone (`localMs` is that wall time read as UTC). */
export function zonedToUtc(timezone: string, localMs: number): number {
  const first = localMs - zoneOffsetMs(timezone, localMs);
  const second = localMs - zoneOffsetMs(timezone, first);
  return second;
}

function hasHours(schedule: Schedule | null | undefined): schedule is Schedule {
  return !!schedule && schedule.enabled && schedule.hours.length > 0;
}

/** Seconds of [from, to) inside the schedule's working hours (all of them without a schedule). */
export function businessSeconds(
  schedule: Schedule | null | undefined,
  from: Date,
  to: Date,
): number {
  const start = from.getTime();
  const end = to.getTime();
  if (end <= start) return 0;
  if (!hasHours(schedule)) return (end - start) / 1000;
  const byDay = new Map(schedule.hours.map((entry) => [entry.day_of_week, entry]));
  // Local dates from the day before `from` to the day after `to` (zone offsets are < 1 day).
  const firstLocal = Math.floor((start + zoneOffsetMs(schedule.timezone, start)) / DAY_MS) - 1;
  const lastLocal = Math.min(
    Math.floor((end + zoneOffsetMs(schedule.timezone, end)) / DAY_MS) + 1,
    firstLocal + MAX_DAYS,
  );
  let total = 0;
  for (let day = firstLocal; day <= lastLocal; day++) {
    const midnight = day * DAY_MS;
    const entry = byDay.get(new Date(midnight).getUTCDay());
    if (!entry || entry.closed_all_day) continue;
    const openMinute = entry.open_all_day
      ? 0
      : (entry.open_hour ?? 0) * 60 + (entry.open_minutes ?? 0);
    const closeMinute = entry.open_all_day
      ? 24 * 60
      : (entry.close_hour ?? 0) * 60 + (entry.close_minutes ?? 0);
    if (closeMinute <= openMinute) continue;
    const open = zonedToUtc(schedule.timezone, midnight + openMinute * 60_000);
    const close = zonedToUtc(schedule.timezone, midnight + closeMinute * 60_000);
    const overlap = Math.min(close, end) - Math.max(open, start);
    if (overlap > 0) total += overlap;
  }
  return total / 1000;
}
