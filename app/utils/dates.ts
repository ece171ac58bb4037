// How dates and times are written on pages. Every formatter takes the language explicitly, so
// translations plug in here; times are always shown in UTC and say so.

/** The languages pages can be formatted for. */
export type Locale = 'en';

const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB' };

type DateLike = Date | string | null | undefined;

/** A moment, e.g. "4 Dec 2026, 14:05 UTC"; '—' when there is none. */
export function formatDateTime(value: DateLike, locale: Locale = 'en'): string {
  if (!value) return '—';
  return new Date(value).toLocaleString(INTL_LOCALE[locale], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}

/** A calendar day as people read it, e.g. "20 July 2020" (days are stored at UTC midnight); '' when there is none. */
export function formatDay(value: DateLike, locale: Locale = 'en'): string {
  if (!value) return '';
  return new Date(value).toLocaleDateString(INTL_LOCALE[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
