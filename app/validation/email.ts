import * as z from 'zod/mini';

// Email addresses people really have: internationalised local parts (айгерім@example.org, sent with
// SMTPUTF8) and internationalised domains (пример.рф, мысал.қаз, in Unicode or as xn-- punycode).
// Used by every form that takes an address; works in the browser too (no Node modules).

export const EMAIL_MESSAGE = 'That does not look like an email address. Please check it.';

// RFC 5322 atext, plus any letter, mark or digit of any script (RFC 6531). No quoted local parts.
const LOCAL = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?$/u;
const TOP_LEVEL = /^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/iu;

/** The domain as ASCII (punycode), lower-cased; null when it is not a valid domain. */
export function asciiDomain(domain: string): string | null {
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TOP_LEVEL.test(labels[labels.length - 1])) return null;
  let ascii: string;
  try {
    // The WHATWG URL parser applies IDNA (UTS #46) in Node and in browsers alike.
    ascii = new URL(`http://${domain}/`).hostname;
  } catch {
    return null;
  }
  if (ascii.length > 253 || ascii.split('.').some((l) => l.length === 0 || l.length > 63)) return null;
  return ascii;
}

export function isEmailAddress(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at < 1) return false;
  const local = value.slice(0, at);
  return new TextEncoder().encode(local).length <= 64 && LOCAL.test(local) && asciiDomain(value.slice(at + 1)) !== null;
}

/** A required email field: trimmed, in Unicode NFC, at most 254 characters, any script. */
export function emailAddressField(required: string, tooLong = 'That email address is too long (at most 254 characters).') {
  return z.pipe(
    z.pipe(z.string({ error: required }), z.transform((v: string) => v.normalize('NFC').trim())),
    z.string().check(z.minLength(1, required), z.maxLength(254, tooLong), z.refine(isEmailAddress, EMAIL_MESSAGE)),
  );
}

/**
 * The address as it should travel: an ASCII local part at a Unicode domain goes out with the domain in
 * punycode, so servers without SMTPUTF8 accept it too. A Unicode local part needs SMTPUTF8 anyway.
 */
export function addressForSending(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1 || /[^\p{ASCII}]/u.test(address.slice(0, at))) return address;
  return `${address.slice(0, at)}@${asciiDomain(address.slice(at + 1)) ?? address.slice(at + 1)}`;
}
