import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay } from '../../app/utils/dates.ts';

describe('date formatting', () => {
  it('writes a moment in UTC and says so, whatever the server time zone', () => {
    expect(formatDateTime(new Date('2026-12-04T23:30:00Z'))).toBe('4 Dec 2026, 23:30 UTC');
    expect(formatDateTime('2026-12-04T23:30:00.000Z', 'en')).toBe('4 Dec 2026, 23:30 UTC');
    expect(formatDateTime(null)).toBe('—');
  });

  it('writes a calendar day in full, and nothing when there is none', () => {
    expect(formatDay('2020-07-20T00:00:00.000Z')).toBe('20 July 2020');
    expect(formatDay(new Date(Date.UTC(2020, 0, 1)), 'en')).toBe('1 January 2020');
    expect(formatDay(undefined)).toBe('');
  });
});
