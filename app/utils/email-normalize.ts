// Normalises an address so the same mailbox cannot sign twice: case is folded everywhere,
// and for Gmail, dots and +tags in the local part are ignored, as Gmail itself does.
// Domains are compared in their ASCII form, so пример.рф and xn--e1afmkfd.xn--p1ai are one mailbox.
import { asciiDomain } from '../validation/email.ts';

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

export function normalizeEmail(email: string): string {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at < 1) return trimmed;
  let local = trimmed.slice(0, at);
  let domain = asciiDomain(trimmed.slice(at + 1)) ?? trimmed.slice(at + 1);
  if (GMAIL_DOMAINS.has(domain)) {
    domain = 'gmail.com';
    local = local.split('+')[0].replaceAll('.', '');
  } else {
    // +tags are an alias on most large providers; dots are not, so only the tag is dropped.
    local = local.split('+')[0];
  }
  return `${local}@${domain}`;
}
