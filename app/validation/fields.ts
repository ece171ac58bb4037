// Rules shared by every form's fields. Pure functions: the browser may load this module.

/**
 * C0 and C1 control characters (tab and line breaks included) and the bidi overrides and isolates
 * that could reorder text shown to others.
 */
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u; // \p{Cc} is exactly U+0000–001F and U+007F–009F

/**
 * True when the text holds a character we refuse. In a multi-line field (Markdown, notes, comments)
 * tabs and line breaks are allowed; everywhere else they are refused too.
 */
export function hasControlCharacters(value: string, options: { multiline?: boolean } = {}): boolean {
  return CONTROL.test(options.multiline ? value.replace(/[\t\n\r]/g, ' ') : value);
}

/** True only for absolute http(s) URLs: javascript:, data:, ftp: and the like are refused. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Spaces of any kind collapsed to one, ends trimmed, Unicode in its composed form (NFC). */
export const oneLine = (value: string) => value.normalize('NFC').replace(/\s+/g, ' ').trim();

/** Line endings made \n, ends trimmed, NFC. */
export const multiLine = (value: string) => value.normalize('NFC').replace(/\r\n?/g, '\n').trim();

/** What a browser sends for a ticked checkbox (and what the JSON API may send instead). */
export const isTicked = (value: string | null | undefined) => value === 'on' || value === 'true' || value === '1';

/** Partner slugs as they may appear in `?via=`; anything else is ignored. */
export const PARTNER_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;
