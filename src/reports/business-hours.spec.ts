import { describe, expect, it } from '@jest/globals';
import { businessSeconds, zonedToUtc } from './business-hours.js';
import type { Schedule, WorkingHoursEntry } from './business-hours.js';

/** Monday to Friday 09:00-17:00, weekends closed. */
function weekdays(timezone: string): Schedule {
  const hours: WorkingHoursEntry[] = [0, 1, 2, 3, 4, 5, 6].map((day) =>
    day === 0 || day === 6
      ? { day_of_week: day, closed_all_day: true }
      : { day_of_week: day, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 0 },
  );
  return { timezone, enabled: true, hours };
}

const at = (iso: string) => new Date(iso);

describe('businessSeconds', () => {
  it('counts the whole interval without working hours', () => {
    expect(businessSeconds(null, at('2026-03-02T08:00:00Z'), at('2026-03-02T10:00:00Z'))).toBe(
      7200,
    );
    expect(
      businessSeconds(
        { timezone: 'UTC', enabled: false, hours: weekdays('UTC').hours },
        at('2026-03-02T08:00:00Z'),
        at('2026-03-02T10:00:00Z'),
      ),
    ).toBe(7200);
  });

  it('counts only the open part of a day (Monday 08:00-10:00 UTC is one business hour)', () => {
    expect(
      businessSeconds(weekdays('UTC'), at('2026-03-02T08:00:00Z'), at('2026-03-02T10:00:00Z')),
    ).toBe(3600);
  });

  it('skips the night and the weekend (Friday 16:00 to Monday 10:00 is two hours)', () => {
    expect(
      businessSeconds(weekdays('UTC'), at('2026-03-06T16:00:00Z'), at('2026-03-09T10:00:00Z')),
    ).toBe(7200);
  });

  it("reads the hours in the inbox's timezone (09:00 in New York is 14:00 UTC in March)", () => {
    const newYork = weekdays('America/New_York');
    // Monday 2026-03-02 13:00-15:00 UTC = 08:00-10:00 EST: one business hour.
    expect(businessSeconds(newYork, at('2026-03-02T13:00:00Z'), at('2026-03-02T15:00:00Z'))).toBe(
      3600,
    );
  });

  it('follows a daylight-saving change (New York moves to EDT on 2026-03-08)', () => {
    const newYork = weekdays('America/New_York');
    // Monday 2026-03-09 09:00 EDT = 13:00 UTC.
    expect(businessSeconds(newYork, at('2026-03-09T12:00:00Z'), at('2026-03-09T14:00:00Z'))).toBe(
      3600,
    );
    expect(zonedToUtc('America/New_York', Date.UTC(2026, 2, 9, 9))).toBe(Date.UTC(2026, 2, 9, 13));
  });

  it('counts open-all-day days whole and an unknown zone as UTC', () => {
    const allDay: Schedule = {
      timezone: 'Nowhere/Unknown',
      enabled: true,
      hours: [{ day_of_week: 1, open_all_day: true }],
    };
    expect(businessSeconds(allDay, at('2026-03-01T12:00:00Z'), at('2026-03-03T12:00:00Z'))).toBe(
      86_400,
    );
  });
});
