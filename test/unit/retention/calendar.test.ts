import { calendarKeys, isTimeZone } from '../../../src/retention/calendar.ts';

describe('calendarKeys', () => {
  it('puts both 01:30 of the autumn change in New York in one hour, and the days around it in their own days', () => {
    // Prepare: 2026-11-01 01:30 EDT is 05:30Z; an hour later the clock shows 01:30 again (EST).
    const first = Date.UTC(2026, 10, 1, 5, 30);
    const second = Date.UTC(2026, 10, 1, 6, 30);

    // Act
    const a = calendarKeys(first, 'America/New_York');
    const b = calendarKeys(second, 'America/New_York');

    // Assess
    expect(a.hourly).toBe('2026-11-01T01');
    expect(b.hourly).toBe('2026-11-01T01');
    expect(calendarKeys(Date.UTC(2026, 10, 2, 4, 59), 'America/New_York').daily).toBe('2026-11-01');
    expect(calendarKeys(Date.UTC(2026, 10, 2, 5, 0), 'America/New_York').daily).toBe('2026-11-02');
  });

  it('skips the spring hour that does not exist in Berlin', () => {
    // 2026-03-29 01:59:59Z is 03:59:59 CEST; one hour before, 00:59:59Z, was 01:59:59 CET: no 02 hour.
    expect(calendarKeys(Date.UTC(2026, 2, 29, 0, 59, 59), 'Europe/Berlin').hourly).toBe('2026-03-29T01');
    expect(calendarKeys(Date.UTC(2026, 2, 29, 1, 0, 0), 'Europe/Berlin').hourly).toBe('2026-03-29T03');
  });

  it('counts ISO weeks across the turn of the year', () => {
    expect(calendarKeys(Date.UTC(2026, 11, 31, 12), 'UTC').weekly).toBe('2026-W53');
    expect(calendarKeys(Date.UTC(2027, 0, 3, 12), 'UTC').weekly).toBe('2026-W53');
    expect(calendarKeys(Date.UTC(2027, 0, 4, 12), 'UTC').weekly).toBe('2027-W01');
    expect(calendarKeys(Date.UTC(2024, 11, 30, 12), 'UTC').weekly).toBe('2025-W01');
  });

  it('reads the month and year on the zone’s wall clock, not UTC', () => {
    const newYearInTokyo = Date.UTC(2026, 11, 31, 16);
    expect(calendarKeys(newYearInTokyo, 'Asia/Tokyo')).toMatchObject({ monthly: '2027-01', yearly: '2027' });
    expect(calendarKeys(newYearInTokyo, 'UTC')).toMatchObject({ monthly: '2026-12', yearly: '2026' });
  });

  it('knows IANA zones and refuses anything else', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
