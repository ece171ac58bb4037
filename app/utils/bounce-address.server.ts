import { createHmac } from 'node:crypto';
import { env } from './env.server.ts';
import { safeEqual } from './crypto.server.ts';

// The envelope sender (Return-Path) of a message names the message, so a bounce or complaint that
// comes back to it says which message failed, whatever the remote server writes in its report:
//
//   bounces+<kind>.<id>.<mac>@BOUNCE_DOMAIN
//
// kind and id name the message and the row of its recipient: c = a signature's confirmation
// (Signature id), u = an update email (UpdateDelivery id), d = a letter or digest (Delivery id),
// s = an organiser's sign-in link (LoginToken id), m = a member invitation (CampaignMember id),
// p = a partner's verification email, l = a partner's re-issued link (both CoSignature id),
// n = the notice that an addressee was paused (PauseNotice id). mac: an HMAC of kind and id under HASH_SECRET, so nobody can make an address
// that reports a bounce for someone else's message. Everything is lower case, as some servers fold
// the case of the local part; the whole local part stays within the 64 characters SMTP allows.

export type BounceRef =
  | { kind: 'confirmation'; signatureId: string }
  | { kind: 'update'; updateDeliveryId: string }
  | { kind: 'delivery'; deliveryId: string }
  | { kind: 'signInLink'; loginTokenId: string }
  | { kind: 'memberInvitation'; memberId: string }
  | { kind: 'partnerVerification'; coSignatureId: string }
  | { kind: 'partnerLink'; coSignatureId: string }
  | { kind: 'pauseNotice'; pauseNoticeId: string };

const LOCAL_PREFIX = 'bounces';
const CODES = {
  confirmation: 'c',
  update: 'u',
  delivery: 'd',
  signInLink: 's',
  memberInvitation: 'm',
  partnerVerification: 'p',
  partnerLink: 'l',
  pauseNotice: 'n',
} as const;
const MAC_CHARS = 16; // 80 bits of base32
const ID = /^[a-z0-9-]{1,40}$/;

function idOf(ref: BounceRef): string {
  switch (ref.kind) {
    case 'confirmation':
      return ref.signatureId;
    case 'update':
      return ref.updateDeliveryId;
    case 'delivery':
      return ref.deliveryId;
    case 'signInLink':
      return ref.loginTokenId;
    case 'memberInvitation':
      return ref.memberId;
    case 'partnerVerification':
    case 'partnerLink':
      return ref.coSignatureId;
    case 'pauseNotice':
      return ref.pauseNoticeId;
  }
}

/** The stable name of a message, e.g. "d.<deliveryId>": what a BounceEvent is recorded under. */
export function messageRef(ref: BounceRef): string {
  return `${CODES[ref.kind]}.${idOf(ref)}`;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function mac(code: string, id: string): string {
  const digest = createHmac('sha256', env().HASH_SECRET).update(`bounce:${code}:${id}`).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < MAC_CHARS) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length >= MAC_CHARS) break;
  }
  return out;
}

/** The envelope sender for a message, or undefined when bounce handling is not configured (no BOUNCE_DOMAIN). */
export function bounceAddress(ref: BounceRef): string | undefined {
  const domain = env().BOUNCE_DOMAIN;
  if (!domain) return undefined;
  const id = idOf(ref).toLowerCase();
  const code = CODES[ref.kind];
  return `${LOCAL_PREFIX}+${code}.${id}.${mac(code, id)}@${domain.toLowerCase()}`;
}

/**
 * The message a bounce address names, or null when it is not one of ours: another domain, another
 * local part, or a token whose MAC does not match (forged or mangled).
 */
export function parseBounceAddress(address: string): BounceRef | null {
  const domain = env().BOUNCE_DOMAIN;
  if (!domain) return null;
  const at = address.lastIndexOf('@');
  if (at < 0) return null;
  if (address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return null;
  const local = address.slice(0, at).toLowerCase();
  const match = /^([a-z]+)\+([cudsmpln])\.(.+)\.([a-z2-7]+)$/.exec(local);
  if (!match || match[1] !== LOCAL_PREFIX) return null;
  const [, , code, id, given] = match;
  if (!ID.test(id) || !safeEqual(given, mac(code, id))) return null;
  switch (code) {
    case 'c':
      return { kind: 'confirmation', signatureId: id };
    case 'u':
      return { kind: 'update', updateDeliveryId: id };
    case 'd':
      return { kind: 'delivery', deliveryId: id };
    case 's':
      return { kind: 'signInLink', loginTokenId: id };
    case 'm':
      return { kind: 'memberInvitation', memberId: id };
    case 'p':
      return { kind: 'partnerVerification', coSignatureId: id };
    case 'l':
      return { kind: 'partnerLink', coSignatureId: id };
    default:
      return { kind: 'pauseNotice', pauseNoticeId: id };
  }
}
