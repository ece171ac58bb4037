import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import { hasControlCharacters, isHttpUrl, isTicked, multiLine, oneLine } from './fields.ts';
import { fieldErrors } from './forms.ts';
import { DomainError } from '../utils/domain-error.ts';
import { PersonStatus } from '../generated/prisma/enums.ts';

// Shared by the organiser forms for people at risk and by the model, which re-validates.

export const PERSON_LIMITS = {
  name: 120,
  photoUrl: 2000,
  role: 120,
  residence: 120,
  charges: 1000,
  healthNotes: 2000,
  story: 20_000,
  sourceOrg: 200,
  eventTitle: 200,
  eventDescription: 2000,
  statusNote: 2000,
} as const;

/** Human labels for each status, in the order a case usually moves. */
export const PERSON_STATUS_LABELS: Record<PersonStatus, string> = {
  WITNESS: 'Questioned as a witness',
  UNDER_INVESTIGATION: 'Under investigation',
  DETAINED: 'Detained',
  ON_TRIAL: 'On trial',
  SENTENCED: 'Sentenced',
  ON_PROBATION: 'On probation',
  RELEASED: 'Released',
  CHARGES_DROPPED: 'Charges dropped',
};

export const PERSON_STATUSES = Object.keys(PERSON_STATUS_LABELS) as PersonStatus[];

/** A required one-line text. */
export const requiredLine = (label: string, max: number) =>
  z.pipe(
    z.pipe(z.string({ error: `Please enter the ${label}.` }), z.transform(oneLine)),
    z.string().check(
      z.minLength(1, `Please enter the ${label}.`),
      z.maxLength(max, `The ${label} is too long (at most ${max} characters).`),
      z.refine((v) => !hasControlCharacters(v), `The ${label} contains characters we cannot accept.`),
    ),
  );

/** A required text that may span several lines. */
export const requiredText = (label: string, max: number) =>
  z.pipe(
    z.pipe(z.string({ error: `Please enter the ${label}.` }), z.transform(multiLine)),
    z.string().check(
      z.minLength(1, `Please enter the ${label}.`),
      z.maxLength(max, `The ${label} is too long (at most ${max} characters).`),
      z.refine((v) => !hasControlCharacters(v, { multiline: true }), `The ${label} contains characters we cannot accept.`),
    ),
  );

/** An optional text (one line or several); empty becomes null. */
export const optionalText = (label: string, max: number, multiline = false) =>
  z.pipe(
    z.pipe(
      z.pipe(z.nullish(z.string()), z.transform((v) => (multiline ? multiLine(v ?? '') : oneLine(v ?? '')))),
      z.string().check(
        z.maxLength(max, `The ${label} is too long (at most ${max} characters).`),
        z.refine((v) => !hasControlCharacters(v, { multiline: true }), `The ${label} contains characters we cannot accept.`),
      ),
    ),
    z.transform((v) => (v === '' ? null : v)),
  );

/** An optional web address: only http and https, so no javascript: or data: link reaches a page. */
export const optionalHttpUrl = (label: string, max = 2000) =>
  z.pipe(
    z.pipe(
      z.pipe(z.nullish(z.string()), z.transform((v) => (v ?? '').trim())),
      z.string().check(
        z.maxLength(max, `The ${label} is too long (at most ${max} characters).`),
        z.refine((v) => v === '' || isHttpUrl(v), `The ${label} must be a web address starting with http:// or https://.`),
      ),
    ),
    z.transform((v) => (v === '' ? null : v)),
  );

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' (what <input type="date"> sends) → a Date at UTC midnight, or null when not a real day. */
export function parseDay(value: string): Date | null {
  const m = ISO_DATE.exec(value.trim());
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  // Rejects 2020-02-31 and the like, which Date would silently roll over.
  if (date.getUTCFullYear() !== Number(m[1]) || date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3])) return null;
  if (date.getUTCFullYear() < 1900 || date.getUTCFullYear() > 2100) return null;
  return date;
}

/** A Date → 'YYYY-MM-DD' for a date input's value. */
export function dayValue(date: Date | string | null | undefined): string {
  if (!date) return '';
  return new Date(date).toISOString().slice(0, 10);
}

export const requiredDay = (label: string) =>
  z.pipe(
    z.string({ error: `Please enter the ${label}.` }),
    z.transform<string, Date>((v, ctx) => {
      if (v.trim() === '') {
        ctx.issues.push({ code: 'custom', message: `Please enter the ${label}.`, input: v });
        return z.NEVER as never;
      }
      const day = parseDay(v);
      if (!day) {
        ctx.issues.push({ code: 'custom', message: `The ${label} is not a valid date (use YYYY-MM-DD).`, input: v });
        return z.NEVER as never;
      }
      return day;
    }),
  );

export const optionalDay = (label: string) =>
  z.pipe(
    z.nullish(z.string()),
    z.transform<string | null | undefined, Date | null>((v, ctx) => {
      if (!v || v.trim() === '') return null;
      const day = parseDay(v);
      if (!day) {
        ctx.issues.push({ code: 'custom', message: `The ${label} is not a valid date (use YYYY-MM-DD).`, input: v });
        return z.NEVER as never;
      }
      return day;
    }),
  );

const checkbox = z.pipe(z.nullish(z.string()), z.transform(isTicked));

const personStatus = z.enum(PERSON_STATUSES as [PersonStatus, ...PersonStatus[]], { error: 'Please choose a status from the list.' });

/** The profile fields an organiser edits; status changes go through their own form (they leave a record). */
export const personProfileSchema = z.object({
  name: requiredLine('name', PERSON_LIMITS.name),
  photoUrl: optionalHttpUrl('photo address', PERSON_LIMITS.photoUrl),
  role: requiredLine('role', PERSON_LIMITS.role),
  residence: optionalText('place of residence', PERSON_LIMITS.residence),
  dateOfBirth: optionalDay('date of birth'),
  charges: optionalText('charges', PERSON_LIMITS.charges, true),
  healthNotes: optionalText('health notes', PERSON_LIMITS.healthNotes, true),
  healthNotesPublic: checkbox,
  story: z.pipe(optionalText('story', PERSON_LIMITS.story, true), z.transform((v) => v ?? '')),
  sourceOrg: optionalText('source', PERSON_LIMITS.sourceOrg),
  sourceDate: optionalDay('source date'),
});

export const newPersonSchema = z.extend(personProfileSchema, { status: personStatus });

export const personEventSchema = z.object({
  date: requiredDay('date'),
  title: requiredLine('title', PERSON_LIMITS.eventTitle),
  description: optionalText('description', PERSON_LIMITS.eventDescription, true),
});

export const statusChangeSchema = z.object({
  status: personStatus,
  note: optionalText('note', PERSON_LIMITS.statusNote, true),
  date: optionalDay('date'),
});

export type PersonProfileInput = z.infer<typeof personProfileSchema>;
export type NewPersonInput = z.infer<typeof newPersonSchema>;
export type PersonEventInput = z.infer<typeof personEventSchema>;
export type StatusChangeInput = z.infer<typeof statusChangeSchema>;


/** Thrown by models when input fails its schema; carries the per-field messages for the form. */
export class InvalidInputError extends DomainError {
  constructor(fieldErrors: Partial<Record<string, string>>) {
    super(Object.values(fieldErrors)[0] ?? 'Some fields need attention.', 400, fieldErrors);
  }
}

/** What a model accepts: the form's fields as submitted (strings), validated by the model itself. */
export type RawInput<S extends core.$ZodObject> = { [K in keyof core.input<S>]?: unknown };

/** Parses with a schema, or throws InvalidInputError with the first message per field. */
export function parseInput<S extends core.$ZodType>(schema: S, input: unknown): core.output<S> {
  const parsed = z.safeParse(schema, input);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(fieldErrors(parsed.error));
}
