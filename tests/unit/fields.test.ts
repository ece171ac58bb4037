import { describe, expect, it } from 'vitest';
import { hasControlCharacters, isHttpUrl } from '../../app/validation/fields.ts';

describe('hasControlCharacters', () => {
  const refusedEverywhere = ['\u0000', '\u0007', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u009f', '\u202a', '\u202e', '\u2066', '\u2069'];

  it('refuses C0 and C1 controls and bidi overrides in one-line and multi-line fields', () => {
    for (const c of refusedEverywhere) {
      expect(hasControlCharacters(`Aigul${c}Zhaksybek`), JSON.stringify(c)).toBe(true);
      expect(hasControlCharacters(`Aigul${c}Zhaksybek`, { multiline: true }), JSON.stringify(c)).toBe(true);
    }
  });

  it('refuses tabs and line breaks in a one-line field, and allows them in a multi-line one', () => {
    for (const c of ['\t', '\n', '\r']) {
      expect(hasControlCharacters(`first${c}second`), JSON.stringify(c)).toBe(true);
      expect(hasControlCharacters(`first${c}second`, { multiline: true }), JSON.stringify(c)).toBe(false);
    }
  });

  it('accepts letters of any script, punctuation, emoji and non-breaking spaces', () => {
    for (const text of ["Ғалым Әбілқасымов", "O'Brien-Smith", 'Алматы', '北京', 'Nice 🙂', 'a\u00a0b', 'right\u200fmark']) {
      expect(hasControlCharacters(text), text).toBe(false);
    }
  });
});

describe('isHttpUrl', () => {
  it('accepts absolute http and https addresses', () => {
    expect(isHttpUrl('https://example.org/logo.png')).toBe(true);
    expect(isHttpUrl('http://example.org')).toBe(true);
  });

  it('refuses other schemes, relative paths and text', () => {
    for (const value of ['javascript:alert(1)', 'data:text/html,hi', 'ftp://example.org', '/relative', 'example.org', '', 'https://']) {
      expect(isHttpUrl(value), value).toBe(false);
    }
  });
});
