import * as z from 'zod/mini';
import { EMAIL_MESSAGE, emailAddressField, isEmailAddress } from './email.ts';
import { hasControlCharacters, isHttpUrl, multiLine, oneLine } from './fields.ts';

// Shared by the organiser forms (field limits, hints) and their actions (validation).
export const CAMPAIGN_LIMITS = {
  title: 200,
  summary: 500,
  statement: 50_000,
  slugMin: 3,
  slugMax: 80,
  goalMin: 1,
  goalMax: 10_000_000,
  imageUrl: 2_000,
  demand: 1_000,
  addresseeName: 200,
  addresseeRole: 200,
  digestMinutesMin: 15,
  digestMinutesMax: 10_080,
  lettersPerHourMin: 1,
  lettersPerHourMax: 10_000,
  victoryNote: 2_000,
  reviewNote: 1_000,
  maxDemands: 30,
  maxAddressees: 100,
} as const;

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A one-line text: spaces collapsed, required, bounded. */
const line = (label: string, max: number) =>
  z.pipe(
    z.pipe(z.string({ error: `Please enter ${label}.` }), z.transform(oneLine)),
    z.string().check(
      z.minLength(1, `Please enter ${label}.`),
      z.maxLength(max, `${capitalise(label)} is too long (at most ${max.toLocaleString('en')} characters).`),
      z.refine((v) => !hasControlCharacters(v), `${capitalise(label)} contains characters we cannot accept.`),
    ),
  );

/** Several lines (Markdown or a note): line endings normalised, required, bounded. */
const block = (label: string, max: number) =>
  z.pipe(
    z.pipe(z.string({ error: `Please enter ${label}.` }), z.transform(multiLine)),
    z.string().check(
      z.minLength(1, `Please enter ${label}.`),
      z.maxLength(max, `${capitalise(label)} is too long (at most ${max.toLocaleString('en')} characters).`),
      z.refine((v) => !hasControlCharacters(v, { multiline: true }), `${capitalise(label)} contains characters we cannot accept.`),
    ),
  );

function capitalise(label: string) {
  const bare = label.replace(/^(a|an|the) /, '');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

/** A whole number typed in a form, with thousands separators allowed ("10,000"). */
const wholeNumber = (label: string, min: number, max: number) => {
  const range = `${capitalise(label)} must be between ${min.toLocaleString('en')} and ${max.toLocaleString('en')}.`;
  return z.pipe(
    z.pipe(z.union([z.string(), z.number()], { error: `Please enter ${label}.` }), z.transform((v) => String(v).replace(/[\s,_]/g, ''))),
    z.pipe(
      z.pipe(
        z.string().check(z.minLength(1, `Please enter ${label}.`), z.regex(/^\d+$/, `Please enter ${label} as a whole number.`)),
        z.transform(Number),
      ),
      z.number().check(z.minimum(min, range), z.maximum(max, range)),
    ),
  );
};

export const slugField = z.string({ error: 'Please choose a web address for the campaign.' }).check(
  z.trim(),
  z.toLowerCase(),
  z.minLength(1, 'Please choose a web address for the campaign.'),
  z.minLength(CAMPAIGN_LIMITS.slugMin, `The web address must be at least ${CAMPAIGN_LIMITS.slugMin} characters long.`),
  z.maxLength(CAMPAIGN_LIMITS.slugMax, `The web address is too long (at most ${CAMPAIGN_LIMITS.slugMax} characters).`),
  z.regex(SLUG_PATTERN, 'Use only lowercase letters a–z, digits and single hyphens between words (like free-the-journalists).'),
);

/** Only http and https: a javascript: or data: URL must never reach an <img src>. */
export const webUrlField = (label: string, max = CAMPAIGN_LIMITS.imageUrl) =>
  z.pipe(
    z.pipe(
      z.pipe(z.optional(z.string()), z.transform((v) => (v ?? '').trim())),
      z.string().check(
        z.maxLength(max, `${capitalise(label)} is too long (at most ${max.toLocaleString('en')} characters).`),
        z.refine((v) => v === '' || isHttpUrl(v), `${capitalise(label)} must be a full web address starting with https:// or http://.`),
      ),
    ),
    z.transform((v) => (v === '' ? null : v)),
  );

export const campaignDetailsSchema = z.object({
  title: line('a title', CAMPAIGN_LIMITS.title),
  slug: slugField,
  summary: line('a summary', CAMPAIGN_LIMITS.summary),
  statement: block('the statement', CAMPAIGN_LIMITS.statement),
  goal: wholeNumber('a signature goal', CAMPAIGN_LIMITS.goalMin, CAMPAIGN_LIMITS.goalMax),
  imageUrl: webUrlField('the image address'),
  // Addressees' replies to letters and digests go here (Reply-To); empty: replies go to MAIL_FROM.
  replyTo: z.pipe(
    z.pipe(
      z.pipe(z.optional(z.string()), z.transform((v) => (v ?? '').normalize('NFC').trim())),
      z.string().check(
        z.maxLength(254, 'That email address is too long (at most 254 characters).'),
        z.refine((v) => v === '' || isEmailAddress(v), EMAIL_MESSAGE),
      ),
    ),
    z.transform((v) => (v === '' ? null : v)),
  ),
});

/** replyTo may be left out by callers that do not touch it (it is then kept as it is). */
export type CampaignDetailsInput = Omit<z.infer<typeof campaignDetailsSchema>, 'replyTo'> & { replyTo?: string | null };

/** A web address suggested from a title, for organisers who leave the field empty ('' if none fits). */
export function suggestSlug(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, CAMPAIGN_LIMITS.slugMax)
    .replace(/-+$/, '');
  return slug.length >= CAMPAIGN_LIMITS.slugMin ? slug : '';
}

export const demandSchema = z.object({ text: block('the demand', CAMPAIGN_LIMITS.demand) });

export const DELIVERY_MODES = ['PER_SIGNATURE', 'DIGEST'] as const;

export const addresseeSchema = z.object({
  name: line('a name', CAMPAIGN_LIMITS.addresseeName),
  role: line('a role or title', CAMPAIGN_LIMITS.addresseeRole),
  email: emailAddressField('Please enter an email address.'),
  deliveryMode: z.enum(DELIVERY_MODES, { error: 'Please choose how letters are delivered.' }),
  digestIntervalMinutes: wholeNumber(
    'the digest interval (minutes)',
    CAMPAIGN_LIMITS.digestMinutesMin,
    CAMPAIGN_LIMITS.digestMinutesMax,
  ),
  lettersPerHour: wholeNumber('letters per hour', CAMPAIGN_LIMITS.lettersPerHourMin, CAMPAIGN_LIMITS.lettersPerHourMax),
});

export type AddresseeInput = z.infer<typeof addresseeSchema>;

export const victorySchema = z.object({ victoryNote: block('a victory note', CAMPAIGN_LIMITS.victoryNote) });

export const reviewNoteSchema = z.object({ reason: block('a reason', CAMPAIGN_LIMITS.reviewNote) });

export const MEMBER_ROLES = ['OWNER', 'EDITOR', 'VIEWER'] as const;

export const memberRoleField = z.enum(MEMBER_ROLES, { error: 'Please choose a role.' });

export const inviteMemberSchema = z.object({
  email: emailAddressField('Please enter their email address.'),
  role: memberRoleField,
});

export const moveDirectionField = z.enum(['up', 'down'], { error: 'Please choose up or down.' });

/** The submitted text of the named fields, to show again with the errors (bounded, so a huge post is not echoed). */
export function formValues<K extends string>(form: FormData, keys: readonly K[], max = CAMPAIGN_LIMITS.statement + 1_000): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const key of keys) {
    const v = form.get(key);
    out[key] = typeof v === 'string' ? v.slice(0, max) : '';
  }
  return out;
}

export const CAMPAIGN_DETAIL_FIELDS = ['title', 'slug', 'summary', 'statement', 'goal', 'imageUrl', 'replyTo'] as const;
export const ADDRESSEE_FIELDS = ['name', 'role', 'email', 'deliveryMode', 'digestIntervalMinutes', 'lettersPerHour'] as const;
