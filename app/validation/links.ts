// Names and other free text that Chorus mails to addresses nobody has verified yet ("Dear <name>" in a
// confirmation) must not carry links: otherwise anyone could use Chorus to mail a spam link to any address.
// Mail clients turn bare domains into links too, so a domain counts as a link, not only an http:// URL.
// No list of top-level domains: this module also reaches the browser, and "bit.ly" must count.

const LINK_PATTERNS = [
  /[\p{L}\p{N}+.-]+:\/\//u, // any scheme://
  /\b(?:mailto|tel|sms|javascript|data):/i,
  /(?:^|[^\p{L}\p{N}])www\d{0,3}\./iu,
  /[^\s@]@[^\s@]+\.[^\s@]/u, // an email address
  /[\p{L}\p{N}_-]\.(?:[\p{L}\p{N}-]*\p{L}){2}/u, // a domain: "bit.ly", "пример.рф", "xn--p1ai"; "A. Smith" is fine
  /\b\d{1,3}(?:\.\d{1,3}){3}\b/, // an IPv4 address
];

export const LINK_IN_NAME_MESSAGE =
  'Names cannot contain web or email addresses. If your name has initials, put a space after each dot (A. Smith).';

export function containsLink(value: string): boolean {
  return LINK_PATTERNS.some((pattern) => pattern.test(value));
}

/** The same text with every link-bearing word replaced, for text that was stored before names were checked. */
export function withoutLinks(value: string): string {
  return value
    .split(/(\s+)/)
    .map((word) => (containsLink(word) ? '[link removed]' : word))
    .join('');
}
