// URL slugs from names written in Latin or Cyrillic script, for people's and partners' public pages.

/**
 * Kazakh and Russian Cyrillic → Latin, close to the 2021 Kazakh Latin alphabet where the letters differ
 * ("Ғалым" → "ghalym"). Used for people's profiles.
 */
export const KAZAKH_LATIN: Readonly<Record<string, string>> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'gh', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y',
  к: 'k', қ: 'q', л: 'l', м: 'm', н: 'n', ң: 'ng', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u',
  ұ: 'u', ү: 'u', ф: 'f', х: 'kh', һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', і: 'i', ь: '',
  э: 'e', ю: 'yu', я: 'ya',
};

/**
 * A plainer transliteration ("Айгуль" → "aigul") that also covers Ukrainian and Belarusian letters.
 * Used for partners' pages; existing partner slugs were made with it, so it stays distinct.
 */
export const PLAIN_LATIN: Readonly<Record<string, string>> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', і: 'i',
  к: 'k', қ: 'q', л: 'l', м: 'm', н: 'n', ң: 'n', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'u',
  ү: 'u', ф: 'f', х: 'kh', һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  є: 'ye', ї: 'yi', ґ: 'g', ў: 'u',
};

/** A URL-safe slug (a-z, 0-9, hyphens, at most 60 characters) from a name; '' if nothing is left. */
export function slugify(name: string, letters: Readonly<Record<string, string>>): string {
  // Compose first so a Cyrillic letter typed as base + accent (й as и + ◌̆) still matches the table.
  const latin = Array.from(name.toLowerCase().normalize('NFC'))
    .map((ch) => letters[ch] ?? ch)
    .join('')
    // Strip accents from Latin letters (é → e), then keep only a-z and 0-9.
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  return latin
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
}
