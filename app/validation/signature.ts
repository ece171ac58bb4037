import * as z from 'zod/mini';
import { isCountryCode } from './countries.ts';
import { emailAddressField } from './email.ts';
import { LINK_IN_NAME_MESSAGE, containsLink } from './links.ts';
import { PARTNER_SLUG, hasControlCharacters, isTicked, oneLine } from './fields.ts';


// Shared by the sign form (field limits, validation in the browser) and the server action (validation).
export const CONSENT_VERSION = '2026-12-04';

export const CONSENT_TEXT =
  'I agree that Chorus stores my name, email address, city and country to count and deliver my signature. ' +
  'My email address is never shown publicly or given to the people this campaign is addressed to. ' +
  'Nothing about me is shown publicly unless I tick one of the boxes above. ' +
  'I can remove my signature at any time with the link in every email I get from Chorus.';

// The public-listing choices next to the form; both are off unless ticked.
export const LIST_PUBLICLY_TEXT = 'List me publicly among the signers, as first name, initial and city (for example “Aigerim N., Almaty”).';
export const SHOW_NAME_TEXT =
  'Show my full name publicly in the list of signers, and give my name and city to the addressees. ' +
  'Otherwise addressees see only “a signer from my country”.';

export const LIMITS = { fullName: 120, email: 254, city: 100, comment: 1000 } as const;

// Letters of any script, apostrophes, hyphens and spaces are all fine; control characters are not.
const text = (label: string, max: number) =>
  z.pipe(
    z.pipe(z.string({ error: `Please enter your ${label}.` }), z.transform(oneLine)),
    z.string().check(
      z.minLength(1, `Please enter your ${label}.`),
      z.maxLength(max, `Your ${label} is too long (at most ${max} characters).`),
      z.refine((v) => !hasControlCharacters(v), `Your ${label} contains characters we cannot accept.`),
      z.refine((v) => /\p{L}/u.test(v), `Your ${label} should contain letters.`),
    ),
  );

const checkbox = z.pipe(z.nullish(z.string()), z.transform(isTicked));

export const signatureSchema = z.object({
  // The confirmation says "Dear <name>" to an address nobody has verified yet: no links in names.
  fullName: text('full name', LIMITS.fullName).check(z.refine((v) => !containsLink(v), LINK_IN_NAME_MESSAGE)),
  email: emailAddressField('Please enter your email address.', `That email address is too long (at most ${LIMITS.email} characters).`),
  city: text('city', LIMITS.city),
  country: z.string({ error: 'Please choose your country.' }).check(z.trim(), z.refine(isCountryCode, 'Please choose your country from the list.')),
  comment: z.pipe(
    z.pipe(
      z.pipe(z.optional(z.string()), z.transform((v) => (v ?? '').normalize('NFC').trim())),
      z.string().check(z.maxLength(LIMITS.comment, `Your comment is too long (at most ${LIMITS.comment} characters).`)),
    ).check(z.refine((v) => !hasControlCharacters(v, { multiline: true }), 'Your comment contains characters we cannot accept.')),
    z.transform((v) => (v === '' ? null : v)),
  ),
  showName: checkbox,
  listPublicly: checkbox,
  wantsUpdates: checkbox,
  consent: z.literal('on', { error: 'Please tick the box to agree, or we cannot count your signature.' }),
  // Coalition partner whose link (`?via=<slug>`) brought the signer; a malformed value is ignored, not an error.
  via: z.optional(z.pipe(z.string(), z.transform((v) => (PARTNER_SLUG.test(v) ? v : undefined)))),
  // Only asked when `via` names an approved partner; off unless ticked.
  shareWithPartner: z.optional(checkbox),
});

export type SignatureInput = z.infer<typeof signatureSchema>;
export type SignatureFields = keyof typeof signatureSchema.shape;
