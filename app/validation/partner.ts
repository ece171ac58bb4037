import * as z from 'zod/mini';
import { isCountryCode } from './countries.ts';
import { emailAddressField } from './email.ts';
import { LINK_IN_NAME_MESSAGE, containsLink } from './links.ts';
import { PARTNER_SLUG, hasControlCharacters, isHttpUrl, oneLine } from './fields.ts';

export { PARTNER_SLUG };

// Shared by the co-sign form (field limits) and the server action (validation).
export const PARTNER_LIMITS = {
  name: 200,
  title: 200,
  affiliation: 200,
  representativeName: 200,
  supportLine: 500,
  url: 500,
  email: 254,
  inviteNote: 200,
} as const;

/** How long an organiser's invitation link works. */
export const INVITE_DAYS = 14;

export const PARTNER_KINDS = ['ORGANISATION', 'INDIVIDUAL'] as const;
export type PartnerKindValue = (typeof PARTNER_KINDS)[number];

const requiredText = (label: string, max: number) =>
  z.pipe(
    z.pipe(z.string({ error: `Please enter ${label}.` }), z.transform(oneLine)),
    z.string().check(
      z.minLength(1, `Please enter ${label}.`),
      z.maxLength(max, `This is too long (at most ${max} characters).`),
      z.refine((v) => !hasControlCharacters(v), 'This contains characters we cannot accept.'),
      z.refine((v) => /\p{L}/u.test(v), 'This should contain letters.'),
    ),
  );

/** Empty becomes null; otherwise the same rules as requiredText. */
const optionalText = (max: number) =>
  z.pipe(
    z.pipe(
      z.pipe(z.nullish(z.string()), z.transform((v) => oneLine(v ?? ''))),
      z.string().check(
        z.maxLength(max, `This is too long (at most ${max} characters).`),
        z.refine((v) => !hasControlCharacters(v), 'This contains characters we cannot accept.'),
      ),
    ),
    z.transform((v) => (v === '' ? null : v)),
  );

const optionalHttpUrl = z.pipe(
  z.pipe(
    z.pipe(z.nullish(z.string()), z.transform((v) => (v ?? '').trim())),
    z.string().check(
      z.maxLength(PARTNER_LIMITS.url, `This address is too long (at most ${PARTNER_LIMITS.url} characters).`),
      z.refine((v) => v === '' || isHttpUrl(v), 'Please enter a web address starting with http:// or https://.'),
    ),
  ),
  z.transform((v) => (v === '' ? null : v)),
);

export const coSignSchema = z.pipe(
  z
    .object({
      kind: z.enum(PARTNER_KINDS, { error: 'Please choose whether you sign as an organisation or as an individual.' }),
      // The verification email greets these names at an address nobody has verified yet: no links.
      name: requiredText('the name', PARTNER_LIMITS.name).check(z.refine((v) => !containsLink(v), LINK_IN_NAME_MESSAGE)),
      title: optionalText(PARTNER_LIMITS.title),
      affiliation: optionalText(PARTNER_LIMITS.affiliation),
      country: z.string({ error: 'Please choose a country.' }).check(z.trim(), z.refine(isCountryCode, 'Please choose a country from the list.')),
      website: optionalHttpUrl,
      contactEmail: z.pipe(
        emailAddressField('Please enter a contact email address.', `That email address is too long (at most ${PARTNER_LIMITS.email} characters).`),
        z.transform((v: string) => v.toLowerCase()),
      ),
      representativeName: optionalText(PARTNER_LIMITS.representativeName).check(z.refine((v) => !v || !containsLink(v), LINK_IN_NAME_MESSAGE)),
      logoUrl: optionalHttpUrl,
      supportLine: optionalText(PARTNER_LIMITS.supportLine),
      consent: z.literal('on', { error: 'Please tick the box to confirm you may co-sign.' }),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (v.kind === 'ORGANISATION' && !v.representativeName) {
          ctx.addIssue({ code: 'custom', path: ['representativeName'], message: "Please enter the name of the organisation's representative." });
        }
        if (v.kind === 'INDIVIDUAL' && !v.title) {
          ctx.addIssue({ code: 'custom', path: ['title'], message: 'Please say who you are, for example "Human-rights lawyer".' });
        }
      }),
    ),
  // Fields that do not apply to the chosen kind are dropped rather than stored.
  z.transform((v) =>
    v.kind === 'ORGANISATION' ? { ...v, title: null, affiliation: null } : { ...v, representativeName: null, logoUrl: null },
  ),
);

export type CoSignInput = z.infer<typeof coSignSchema>;

export const partnerInviteSchema = z.object({ note: optionalText(PARTNER_LIMITS.inviteNote) });

export const CO_SIGN_CONSENT_TEXT =
  'I co-sign this statement in my own name, or I am authorised to co-sign it on behalf of the organisation named above.';


/** How each co-signature status reads to the partner and to organisers. */
export const CO_SIGNATURE_STATUS_TEXT: Record<string, { label: string; explanation: string }> = {
  UNVERIFIED: { label: 'Not yet confirmed', explanation: 'The contact address has not confirmed the co-signature yet.' },
  PENDING_APPROVAL: { label: 'Awaiting approval', explanation: 'Confirmed; the organisers will review it before it appears on the statement.' },
  APPROVED: { label: 'Approved', explanation: 'It appears on the statement.' },
  DECLINED: { label: 'Declined', explanation: 'The organisers decided not to list it on the statement.' },
  WITHDRAWN: { label: 'Withdrawn', explanation: 'It was withdrawn and no longer appears on the statement.' },
};
